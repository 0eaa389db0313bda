using System.Globalization;

namespace PalmLab.Web.Components.Shared;

/// <summary>A training option's value as the pages show it: invariant numbers, enums in lower case, a dash for none.</summary>
public static class OptionText
{
    public static string Format(object? value) => value switch
    {
        null => "—",
        double d => d.ToString("G4", CultureInfo.InvariantCulture),
        float f => f.ToString("G4", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        Enum e => e.ToString().ToLowerInvariant(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "—",
    };
}
