namespace PalmLab.Web.Components.Shared;

/// <summary>
/// What <see cref="ApexChart"/> sends to <c>charts.js</c>; the module maps it to ApexCharts options. <see cref="Series"/>
/// is null in an update that changes only the options.
/// </summary>
internal sealed record ChartConfig(
    string Type,
    IReadOnlyList<ChartSeriesData>? Series,
    string? XAxisTitle,
    string? YAxisTitle,
    string? RightAxisTitle,
    bool LogScale,
    bool IntegerX,
    bool Dark,
    int Height,
    string NoDataText,
    IReadOnlyList<ChartMarker> XMarkers,
    ChartLive? Live,
    bool LogX = false,
    double? YMax = null)
{
    // Records compare lists by reference: markers are compared by value, so an equal list sends nothing.
    public bool Equals(ChartConfig? other) =>
        other is not null
        && (Type, XAxisTitle, YAxisTitle, RightAxisTitle, LogScale, IntegerX, Dark, Height, NoDataText, Live)
            == (other.Type, other.XAxisTitle, other.YAxisTitle, other.RightAxisTitle, other.LogScale, other.IntegerX, other.Dark, other.Height, other.NoDataText, other.Live)
        && LogX == other.LogX && YMax == other.YMax
        && ReferenceEquals(Series, other.Series)
        && XMarkers.SequenceEqual(other.XMarkers);

    public override int GetHashCode() => HashCode.Combine(Type, LogScale, Dark, Height, Live);
}
