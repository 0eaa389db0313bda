using Microsoft.AspNetCore.Components;
using PalmLab.Engine.Training;
using PalmLab.Web.Components.Shared;
using PalmLab.Web.Runs;

namespace PalmLab.Web.Components.Pages.Runs;

public sealed partial class RunLossChart
{
    private ApexChart? _chart;
    private double _smoothing = 0.6;
    private bool _log;
    private IReadOnlyList<ChartSeries> _series = [];
    private List<ChartPoint> _raw = [];
    private IReadOnlyList<BatchPoint>? _builtCurve;
    private IReadOnlyList<EpochResult>? _builtEpochs;

    /// <summary>The batch losses as read (already thinned); live points come through <see cref="AppendAsync"/>.</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<BatchPoint> Curve { get; set; } = [];

    [Parameter, EditorRequired]
    public IReadOnlyList<EpochResult> Epochs { get; set; } = [];

    [Parameter]
    public bool Dark { get; set; }

    protected override void OnParametersSet()
    {
        // Only a new reading rebuilds the lines: a re-render for another reason must not drop the streamed points.
        if (!ReferenceEquals(Curve, _builtCurve) || !ReferenceEquals(Epochs, _builtEpochs))
        {
            _builtCurve = Curve;
            _builtEpochs = Epochs;
            _raw = Curve.Select(p => new ChartPoint(p.Step, p.Loss)).ToList();
            Build();
        }
    }

    /// <summary>Streams new batch losses to the chart without a render.</summary>
    public async Task AppendAsync(IReadOnlyList<BatchPoint> points)
    {
        var last = _raw.Count > 0 ? _raw[^1].X : double.MinValue;
        var fresh = points.Where(p => p.Step > last).Select(p => new ChartPoint(p.Step, p.Loss)).ToList();
        if (fresh.Count == 0 || _chart is null)
        {
            return;
        }
        _raw.AddRange(fresh);
        var smoothed = Smoothing.Ema(_raw.Select(p => p.Y).ToList(), _smoothing);
        var tail = fresh.Select((p, i) => new ChartPoint(p.X, smoothed[_raw.Count - fresh.Count + i])).ToList();
        // Keep the page's smoothed line in step with what the browser draws, as ApexChart asks.
        ((List<ChartPoint>)_series[1].Points).AddRange(tail);
        await _chart.AppendAsync([fresh, tail, []]);
    }

    private void SetSmoothing(double value)
    {
        _smoothing = value;
        Build();
    }

    private void Build()
    {
        var smoothed = Smoothing.Ema(_raw.Select(p => p.Y).ToList(), _smoothing);
        var smoothedPoints = _raw.Select((p, i) => new ChartPoint(p.X, smoothed[i])).ToList();
        // Validation loss sits at the last step of its epoch, so it lines up with the batches it follows.
        var lastStep = Curve.GroupBy(p => p.Epoch).ToDictionary(g => g.Key, g => g.Max(p => p.Step));
        var validation = Epochs
            .Where(e => e.ValidationLoss is not null && lastStep.ContainsKey(e.Epoch))
            .Select(e => new ChartPoint(lastStep[e.Epoch], e.ValidationLoss!.Value))
            .ToList();
        _series =
        [
            new ChartSeries("Batch loss", _raw),
            new ChartSeries("Smoothed", smoothedPoints),
            new ChartSeries("Validation loss", validation),
        ];
    }
}
