using System.Globalization;

namespace PalmLab.Web.Components.Shared;

/// <summary>
/// Reads a page's query values leniently. Pages take every <c>[SupplyParameterFromQuery]</c> value as the raw text and
/// parse it here, because Blazor's own binding of <c>int?</c>, <c>bool?</c> or <c>double?</c> throws on a malformed
/// value (<c>?page=abc</c>), and a shared or hand-edited address must never answer 500. A value that does not parse, or
/// lies outside the range given, reads as absent; the page then shows its default or says what it ignored.
/// </summary>
public static class QueryValue
{
    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, or null.</summary>
    public static int? Int(string? raw, int min = int.MinValue, int max = int.MaxValue) =>
        int.TryParse(raw?.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : null;

    /// <summary>A finite number (invariant culture, <c>0.4</c>), or null.</summary>
    public static double? Double(string? raw) =>
        double.TryParse(raw?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;

    /// <summary><c>true</c>/<c>false</c> in any case, or <c>1</c>/<c>0</c>; anything else is null.</summary>
    public static bool? Bool(string? raw) => raw?.Trim().ToLowerInvariant() switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        _ => null,
    };

    /// <summary>What a page says about a value it could not read: "?from=abc is not a run id (a whole number, as in ?from=3)".</summary>
    public static string Ignored(string name, string raw, string expected) => $"?{name}={raw} is not {expected}";
}
