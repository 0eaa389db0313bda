namespace PalmLab.Web.Components.Shared;

/// <summary>A series as <c>charts.js</c> receives it.</summary>
internal sealed record ChartSeriesData(
    string Name,
    IReadOnlyList<ChartPointData> Data,
    string? Color,
    double? Width,
    double? Opacity,
    bool RightAxis,
    int? Markers,
    IReadOnlyList<ChartRange>? Range = null)
{
    /// <summary>
    /// JSON has no NaN or infinity (the interop serializer would throw), and a log axis cannot place zero or a negative
    /// value: such a Y becomes null, which the chart draws as a gap. A point whose X is not finite is dropped. The right
    /// axis is never logarithmic.
    /// </summary>
    public static ChartSeriesData From(ChartSeries series, bool logScale, bool logX = false)
    {
        var log = logScale && !series.RightAxis;
        var data = new List<ChartPointData>(series.Points.Count);
        foreach (var point in series.Points)
        {
            if (!double.IsFinite(point.X) || (logX && point.X <= 0))
            {
                continue;
            }

            var drawable = double.IsFinite(point.Y) && (!log || point.Y > 0);
            data.Add(new ChartPointData(point.X, drawable ? point.Y : null));
        }

        var range = series.Range?.Where(r => double.IsFinite(r.X) && double.IsFinite(r.Low) && double.IsFinite(r.High) && (!log || r.Low > 0)).ToList();
        return new ChartSeriesData(series.Name, data, series.Color, series.Width, series.Opacity, series.RightAxis, series.Markers, range);
    }
}
