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
    bool LogScale,
    bool Dark,
    int Height,
    string NoDataText);
