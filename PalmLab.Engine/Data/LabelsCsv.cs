using System.Globalization;

namespace PalmLab.Engine.Data;

/// <summary>Writes the official labels sheet as CSV (<see cref="DatasetReader.LabelsHeader"/>); reading is <see cref="DatasetReader.ReadLabels"/>.</summary>
public static class LabelsCsv
{
    /// <summary>Writes <paramref name="rows"/> under the official header, numbers in the invariant culture.</summary>
    public static void Write(string path, IEnumerable<LabelRow> rows)
    {
        var lines = rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Id},{Quote(r.ImgName)},{r.Label},{r.FoveaX:0.##},{r.FoveaY:0.##}"));
        File.WriteAllLines(path, lines.Prepend(DatasetReader.LabelsHeader));
    }

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\r', '\n']) < 0 ? field : $"\"{field.Replace("\"", "\"\"")}\"";
}
