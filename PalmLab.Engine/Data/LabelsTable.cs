namespace PalmLab.Engine.Data;

/// <summary>The cells of a labels file as text: its header and its data rows, before any checking.</summary>
public sealed record LabelsTable(IReadOnlyList<string> Header, IReadOnlyList<LabelsTableRow> Rows);
