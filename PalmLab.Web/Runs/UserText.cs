using System.Globalization;

namespace PalmLab.Web.Runs;

/// <summary>
/// Which characters a name, tag or note may hold. Control characters (NUL, newlines, escape) forge lines in logs and
/// files and break the one-line places a name is shown; bidirectional overrides and isolates (U+202A-U+202E,
/// U+2066-U+2069) make a name read differently from what it is. Notes are free text and may keep newlines and tabs.
/// </summary>
public static class UserText
{
    /// <summary>Why <paramref name="text"/> cannot be stored, or null when it can.</summary>
    public static string? Problem(string? text, bool multiline = false)
    {
        if (text is null)
        {
            return null;
        }
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (multiline && c is '\n' or '\r' or '\t')
            {
                continue;
            }
            if (char.IsControl(c))
            {
                return $"must not hold control characters (found {Describe(c)} at position {i + 1}){(multiline ? "" : ": keep it on one line")}";
            }
            if (IsBidiControl(c))
            {
                return $"must not hold bidirectional override characters (found {Describe(c)} at position {i + 1})";
            }
        }
        return null;
    }

    /// <summary>A bidirectional override or isolate (U+202A-U+202E, U+2066-U+2069).</summary>
    public static bool IsBidiControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';

    private static string Describe(char c) => string.Create(CultureInfo.InvariantCulture, $"U+{(int)c:X4}");
}
