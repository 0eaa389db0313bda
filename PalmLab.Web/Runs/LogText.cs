using System.Globalization;
using System.Text;

namespace PalmLab.Web.Runs;

/// <summary>
/// A string a user typed, as a log's structured value: written in quotes with control and bidirectional characters
/// escaped (<c>\n</c>, <c>\u202E</c>), so that a name cannot start a forged log line or turn the rest of one around,
/// whatever the log's format. <see cref="Value"/> keeps the text as it is.
/// </summary>
public readonly record struct LogText(string? Value)
{
    public static LogText Of(string? value) => new(value);

    public override string ToString()
    {
        if (Value is null)
        {
            return "(none)";
        }
        var text = new StringBuilder(Value.Length + 2).Append('"');
        foreach (var c in Value)
        {
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append("\\\\"),
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                _ when char.IsControl(c) || UserText.IsBidiControl(c)
                    => text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => text.Append(c),
            };
        }
        return text.Append('"').ToString();
    }
}
