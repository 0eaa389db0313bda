namespace PalmLab.Web.Components.Shared;

/// <summary>
/// A named line (or set of markers) drawn by <see cref="ApexChart"/>. The style fields are optional: left out, the
/// series takes the next palette colour, the chart's line width and full opacity, on the left axis.
/// </summary>
/// <param name="Color">A CSS colour, or a palette slot "palette:N" that follows the light or dark theme.</param>
/// <param name="Width">Line width in pixels.</param>
/// <param name="Opacity">0 (invisible) to 1.</param>
/// <param name="RightAxis">Drawn against the right y axis (<see cref="ApexChart.RightAxisTitle"/>), never on a log scale.</param>
/// <param name="Markers">Marker size in pixels, for a line whose few points should show (validation loss per epoch).</param>
/// <param name="Range">
/// Makes the series a shaded band between each x's low and high (ApexCharts' rangeArea), drawn with
/// <paramref name="Opacity"/> (0.2 when left out) under the lines; <paramref name="Points"/> is then not drawn.
/// </param>
public sealed record ChartSeries(
    string Name,
    IReadOnlyList<ChartPoint> Points,
    string? Color = null,
    double? Width = null,
    double? Opacity = null,
    bool RightAxis = false,
    int? Markers = null,
    IReadOnlyList<ChartRange>? Range = null);
