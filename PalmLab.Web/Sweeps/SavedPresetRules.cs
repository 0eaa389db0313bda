using System.Text.RegularExpressions;
using PalmLab.Engine.Training;

namespace PalmLab.Web.Sweeps;

/// <summary>What a saved preset may be called: a short name that `preset` can carry in a request or an address.</summary>
public static partial class SavedPresetRules
{
    public const int MaxNameLength = 40;

    /// <summary>Why <paramref name="name"/> cannot name a new preset, or null when it can (uniqueness is checked by the caller).</summary>
    public static string? Check(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "give the preset a name";
        }
        var trimmed = name.Trim();
        if (trimmed.Length > MaxNameLength)
        {
            return $"at most {MaxNameLength} characters, not {trimmed.Length}";
        }
        if (!NamePattern().IsMatch(trimmed))
        {
            return $"'{trimmed}' may hold only letters, digits, '-' and '_', starting with a letter";
        }
        return TrainingPresets.All.ContainsKey(trimmed) ? $"'{trimmed}' is a built-in preset; choose another name" : null;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]*$")]
    private static partial Regex NamePattern();
}
