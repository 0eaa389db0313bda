namespace PalmLab.Web.Components.Shared;

/// <summary>A named line (or set of markers) drawn by <see cref="ApexChart"/>.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<ChartPoint> Points);
