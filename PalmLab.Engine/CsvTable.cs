using System.Globalization;
using System.Text;

namespace PalmLab.Engine;

/// <summary>
/// A table of numbers written as CSV: the columns are named once, each with how a row gives its value, and every export
/// of that kind of row uses them. Values are numbers and words, which need no quoting.
/// </summary>
public sealed class CsvTable<T>(IReadOnlyList<(string Name, Func<T, string> Value)> columns)
{
    public IReadOnlyList<(string Name, Func<T, string> Value)> Columns { get; } = columns;

    public string Header => string.Join(',', Columns.Select(c => c.Name));

    public string Row(T row) => string.Join(',', Columns.Select(c => c.Value(row)));

    /// <summary>Writes the header and one line per row, with "\n" line ends.</summary>
    public void Write(Stream stream, IEnumerable<T> rows)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
        writer.WriteLine(Header);
        foreach (var row in rows)
        {
            writer.WriteLine(Row(row));
        }
    }

    /// <summary>The CSV as bytes, for a download.</summary>
    public byte[] ToBytes(IEnumerable<T> rows)
    {
        using var buffer = new MemoryStream();
        Write(buffer, rows);
        return buffer.ToArray();
    }
}

/// <summary>How <see cref="CsvTable{T}"/> columns write values: invariant numbers ("NaN" where not finite), empty for none.</summary>
public static class CsvValue
{
    public static string Of<T>(T value) where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);

    public static string Of<T>(T? value) where T : struct, IFormattable => value?.ToString(null, CultureInfo.InvariantCulture) ?? "";

    public static string Of(bool value) => value ? "true" : "false";
}
