namespace PalmLab.Web.Components.Pages.Compare;

/// <summary>One option across the compared runs: its name, help text, one value per run, and whether they differ.</summary>
public sealed record OptionRow(string Name, string Description, IReadOnlyList<string> Values, bool Differs);
