using Microsoft.AspNetCore.Components;
using PalmLab.Engine.Training;
using PalmLab.Web.Components.Shared;
using PalmLab.Web.Runs;

namespace PalmLab.Web.Components.Pages.Runs;

public sealed partial class RunLossChart
{
    // Beyond this many epochs the boundary lines keep no labels, which would overlap.
    private const int LabelledEpochs = 20;

    private double _smoothing = 0.6;
    private bool _log;
    private IReadOnlyList<ChartSeries> _series = [];
    private IReadOnlyList<ChartMarker> _markers = [];
    private IReadOnlyList<BatchPoint>? _builtCurve;
    private IReadOnlyList<EpochResult>? _builtEpochs;

    /// <summary>The batch losses as read (already thinned); the chart's script appends live ones itself.</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<BatchPoint> Curve { get; set; } = [];

    [Parameter, EditorRequired]
    public IReadOnlyList<EpochResult> Epochs { get; set; } = [];

    /// <summary>The last step of each epoch, exact (the thinned curve may miss it).</summary>
    [Parameter, EditorRequired]
    public IReadOnlyDictionary<int, long> EpochEnds { get; set; } = new Dictionary<int, long>();

    /// <summary>The epochs the run will train.</summary>
    [Parameter, EditorRequired]
    public int TotalEpochs { get; set; }

    /// <summary>The run to stream from /hubs/runs while it trains; null once it has stopped.</summary>
    [Parameter]
    public int? LiveRunId { get; set; }

    [Parameter]
    public bool Dark { get; set; }

    protected override void OnParametersSet()
    {
        // Only a new reading rebuilds the lines, so the chart is not redrawn on every render of the page.
        if (ReferenceEquals(Curve, _builtCurve) && ReferenceEquals(Epochs, _builtEpochs))
        {
            return;
        }
        _builtCurve = Curve;
        _builtEpochs = Epochs;
        var validation = Epochs
            .Where(e => e.ValidationLoss is not null && EpochEnds.ContainsKey(e.Epoch))
            .Select(e => new ChartPoint(EpochEnds[e.Epoch], e.ValidationLoss!.Value))
            .ToList();
        _series =
        [
            new ChartSeries("Batch loss", Curve.Select(p => new ChartPoint(p.Step, p.Loss)).ToList(), Color: "palette:0", Width: 1, Opacity: 0.3),
            // Computed by the chart's script from the batch loss with the slider's weight (ChartLive).
            new ChartSeries("Smoothed", [], Color: "palette:0", Width: 2.5),
            new ChartSeries("Validation loss", validation, Color: "palette:1", Width: 2, Markers: 4),
            new ChartSeries("Learning rate", Curve.Select(p => new ChartPoint(p.Step, p.LearningRate)).ToList(), Color: "palette:2", Width: 1.5, Opacity: 0.75, RightAxis: true),
        ];
        // A line after each finished epoch but the run's last, labelled with the epoch that starts there: a running
        // run's current epoch is marked as soon as the one before it ends.
        var finished = Epochs.Where(e => e.Epoch < TotalEpochs && EpochEnds.ContainsKey(e.Epoch)).Select(e => e.Epoch).Order().ToList();
        _markers = finished
            .Select(epoch => new ChartMarker(EpochEnds[epoch] + 0.5, TotalEpochs <= LabelledEpochs ? $"E{epoch + 1}" : ""))
            .ToList();
    }
}
