using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace PalmLab.Web.Api;

/// <summary>
/// Reads an endpoint's query values from their text, as <see cref="JsonBody"/> reads a body: each bad value becomes an
/// entry that names the parameter and its rule ("limit must be a whole number from 1 to 1000; got 'abc'"), answered as one
/// 400 problem. Minimal APIs' own binding of <c>int?</c> or an enum answers a bare 400 with no reason.
/// </summary>
public sealed class QueryValues
{
    private readonly Dictionary<string, string[]> _errors = [];

    /// <summary>The problem for every bad value read so far, or null when all of them read.</summary>
    public ValidationProblem? Problem => _errors.Count == 0
        ? null
        : FieldProblems.Of(_errors);

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>; null when absent.</summary>
    /// <param name="hint">Said after the rule, such as "leave it out for 100".</param>
    public int? Int(string name, string? raw, int min = int.MinValue, int max = int.MaxValue, string? hint = null)
    {
        var value = Long(name, raw, min, max, hint);
        return value is null ? null : (int)value;
    }

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>; null when absent (or empty, as <c>?limit=</c>).</summary>
    public long? Long(string name, string? raw, long min = long.MinValue, long max = long.MaxValue, string? hint = null)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }
        if (long.TryParse(raw.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }
        var range = (min, max) switch
        {
            (int.MinValue or long.MinValue, int.MaxValue or long.MaxValue) => "",
            (_, int.MaxValue or long.MaxValue) => $", {min} or more",
            _ => $" from {min} to {max}",
        };
        Add(name, $"must be a whole number{range}{(hint is null ? "" : $" ({hint})")}; got '{raw}'");
        return null;
    }

    /// <summary>One of the enum's names, in any case (never its number); null when absent.</summary>
    public TEnum? Enum<TEnum>(string name, string? raw) where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }
        if (System.Enum.GetNames<TEnum>().FirstOrDefault(n => n.Equals(raw.Trim(), StringComparison.OrdinalIgnoreCase)) is { } match)
        {
            return System.Enum.Parse<TEnum>(match);
        }
        Add(name, $"must be one of {string.Join(", ", System.Enum.GetNames<TEnum>())}; got '{raw}'");
        return null;
    }

    private void Add(string name, string message) => _errors[name] = [message];
}
