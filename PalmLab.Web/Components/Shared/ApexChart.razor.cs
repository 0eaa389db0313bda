using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace PalmLab.Web.Components.Shared;

/// <summary>
/// Every chart of the dashboard: an ApexCharts chart driven through <c>wwwroot/js/charts.js</c>. Pages pass series and
/// options; a new <see cref="Series"/> list (or changed options) updates the chart in place. A <see cref="Live"/> chart
/// streams a run's batches in the browser, without re-rendering the page.
/// </summary>
public sealed partial class ApexChart : ComponentBase, IAsyncDisposable
{
    internal const string ModulePath = "./js/charts.js";

    private ElementReference _element;
    private IJSObjectReference? _module;
    private bool _created;
    private bool _syncing;
    private bool _dirty;
    private bool _disposed;
    private IReadOnlyList<ChartSeries>? _sentSeries;
    private ChartConfig? _sentOptions;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Parameter]
    public IReadOnlyList<ChartSeries> Series { get; set; } = [];

    [Parameter]
    public ChartKind Type { get; set; } = ChartKind.Line;

    [Parameter]
    public string? XAxisTitle { get; set; }

    [Parameter]
    public string? YAxisTitle { get; set; }

    /// <summary>A logarithmic Y axis; values at or below zero are left out (drawn as gaps).</summary>
    [Parameter]
    public bool LogScale { get; set; }

    /// <summary>A logarithmic X axis (a sweep's log range); points with X at or below zero are left out.</summary>
    [Parameter]
    public bool LogX { get; set; }

    /// <summary>The left y axis ends here (1 for a metric such as AUC), so equal values do not stretch it past what they can reach.</summary>
    [Parameter]
    public double? YMax { get; set; }

    /// <summary>Gives the series with <see cref="ChartSeries.RightAxis"/> a right y axis with this title.</summary>
    [Parameter]
    public string? RightAxisTitle { get; set; }

    /// <summary>Whole-number x ticks and labels (steps, epochs).</summary>
    [Parameter]
    public bool IntegerX { get; set; }

    /// <summary>Faint labelled vertical lines, such as epoch boundaries.</summary>
    [Parameter]
    public IReadOnlyList<ChartMarker> XMarkers { get; set; } = [];

    /// <summary>A loss chart the browser keeps and streams itself (see <see cref="ChartLive"/>); null for a plain chart.</summary>
    [Parameter]
    public ChartLive? Live { get; set; }

    [Parameter]
    public bool Dark { get; set; }

    /// <summary>Height in CSS pixels; the width follows the container and the window.</summary>
    [Parameter]
    public int Height { get; set; } = 320;

    [Parameter]
    public string NoDataText { get; set; } = "No data yet";

    /// <summary>What the chart shows, for screen readers.</summary>
    [Parameter]
    public string? Label { get; set; }

    [Parameter]
    public string? Class { get; set; }

    protected override Task OnAfterRenderAsync(bool firstRender) => SyncAsync();

    // Renders can arrive while an import or a call to the browser is still under way: the loop sends the latest
    // parameters once that call is done, so a change is never lost and calls never overlap.
    private async Task SyncAsync()
    {
        if (_syncing)
        {
            _dirty = true;
            return;
        }

        _syncing = true;
        try
        {
            do
            {
                _dirty = false;
                _module ??= await JS.InvokeAsync<IJSObjectReference>("import", ModulePath);
                if (_disposed)
                {
                    return;
                }

                await SendChangesAsync(_module);
            }
            while (_dirty && !_disposed);
        }
        finally
        {
            _syncing = false;
        }
    }

    private async Task SendChangesAsync(IJSObjectReference module)
    {
        var series = Series;
        var options = BuildConfig(series: null);
        var seriesChanged = _sentSeries is null || !SameSeries(_sentSeries, series);
        // Series points are prepared for the axis: switching the log scale re-sends them.
        var logChanged = _sentOptions is not null && (_sentOptions.LogScale != options.LogScale || _sentOptions.LogX != options.LogX);

        if (!_created)
        {
            await module.InvokeVoidAsync("create", _element, BuildConfig(series));
            _created = true;
        }
        else if (seriesChanged || logChanged || OptionsChanged(_sentOptions!, options))
        {
            await module.InvokeVoidAsync("update", _element, BuildConfig(seriesChanged || logChanged ? series : null));
        }
        else if (_sentOptions!.Dark != options.Dark)
        {
            await module.InvokeVoidAsync("setTheme", _element, options.Dark);
        }

        _sentSeries = series;
        _sentOptions = options;
    }

    private ChartConfig BuildConfig(IReadOnlyList<ChartSeries>? series) => new(
        Type.ToString().ToLowerInvariant(),
        series?.Select(s => ChartSeriesData.From(s, LogScale, LogX)).ToList(),
        XAxisTitle,
        YAxisTitle,
        RightAxisTitle,
        LogScale,
        IntegerX,
        Dark,
        Height,
        NoDataText,
        XMarkers,
        Live,
        LogX,
        YMax);

    // Dark mode alone goes through setTheme, which keeps the zoom and redraws less.
    private static bool OptionsChanged(ChartConfig sent, ChartConfig current) => sent != current with { Dark = sent.Dark };

    // Records compare by value, but their point lists by reference: a page that rebuilds an equal list re-sends nothing.
    private static bool SameSeries(IReadOnlyList<ChartSeries> sent, IReadOnlyList<ChartSeries> current) =>
        ReferenceEquals(sent, current) || sent.SequenceEqual(current);

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_module is null)
        {
            return;
        }

        try
        {
            if (_created)
            {
                await _module.InvokeVoidAsync("dispose", _element);
            }

            await _module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone, and the browser's chart with it.
        }
    }
}
