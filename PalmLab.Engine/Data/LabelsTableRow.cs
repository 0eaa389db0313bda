namespace PalmLab.Engine.Data;

/// <summary>A data row of a labels file: its number as the user sees it (line of a CSV, row of a sheet) and its cells as text.</summary>
public sealed record LabelsTableRow(long Number, IReadOnlyList<string> Cells)
{
    /// <summary>The cell in column <paramref name="index"/>, or "" where the row is shorter.</summary>
    public string Cell(int index) => index < Cells.Count ? Cells[index] : "";
}
