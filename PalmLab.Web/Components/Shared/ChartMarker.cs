namespace PalmLab.Web.Components.Shared;

/// <summary>A faint vertical line across the chart at <paramref name="X"/>, such as an epoch boundary.</summary>
public readonly record struct ChartMarker(double X, string Label);
