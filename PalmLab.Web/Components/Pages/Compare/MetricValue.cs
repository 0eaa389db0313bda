namespace PalmLab.Web.Components.Pages.Compare;

/// <summary>One run's cell of a metric row: its text, and the number it is ranked by (none: not ranked).</summary>
public sealed record MetricValue(string Text, double? Rank);
