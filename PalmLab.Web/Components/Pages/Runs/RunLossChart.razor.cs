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
    private IReadOnlyList<FoldEpoch>? _builtEpochs;

    /// <summary>The batch losses as read (already thinned); the chart's script appends live ones itself.</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<BatchPoint> Curve { get; set; } = [];

    /// <summary>Every epoch of the run (of every fold, for a cross-validated run).</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<FoldEpoch> Epochs { get; set; } = [];

    /// <summary>The last step of each (fold and) epoch, exact (the thinned curve may miss it).</summary>
    [Parameter, EditorRequired]
    public IReadOnlyDictionary<(int? Fold, int Epoch), long> EpochEnds { get; set; } = new Dictionary<(int? Fold, int Epoch), long>();

    /// <summary>The folds of a cross-validated run; null for an ordinary run.</summary>
    [Parameter]
    public int? Folds { get; set; }

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
            .Where(e => e.Epoch.ValidationLoss is not null && EpochEnds.ContainsKey((e.Fold, e.Epoch.Epoch)))
            .Select(e => new ChartPoint(EpochEnds[(e.Fold, e.Epoch.Epoch)], e.Epoch.ValidationLoss!.Value))
            .ToList();
        _series =
        [
            new ChartSeries("Batch loss", Curve.Select(p => new ChartPoint(p.Step, p.Loss)).ToList(), Color: "palette:0", Width: 1, Opacity: 0.3),
            // Computed by the chart's script from the batch loss with the slider's weight (ChartLive).
            new ChartSeries("Smoothed", [], Color: "palette:0", Width: 2.5),
            new ChartSeries("Validation loss", validation, Color: "palette:1", Width: 2, Markers: 4),
            new ChartSeries("Learning rate", Curve.Select(p => new ChartPoint(p.Step, p.LearningRate)).ToList(), Color: "palette:2", Width: 1.5, Opacity: 0.75, RightAxis: true),
        ];
        _markers = Markers();
    }

    // A line after each finished epoch but the run's last, labelled with the epoch that starts there (a running run's
    // current epoch is marked as soon as the one before it ends); a cross-validated run's folds start at labelled lines.
    private List<ChartMarker> Markers()
    {
        var epochs = TotalEpochs * (Folds ?? 1);
        var last = Folds;
        return Epochs
            .Where(e => EpochEnds.ContainsKey((e.Fold, e.Epoch.Epoch)) && !(e.Fold == last && e.Epoch.Epoch == TotalEpochs))
            .OrderBy(e => e.Fold).ThenBy(e => e.Epoch.Epoch)
            .Select(e => new ChartMarker(EpochEnds[(e.Fold, e.Epoch.Epoch)] + 0.5,
                e.Epoch.Epoch == TotalEpochs ? $"Fold {e.Fold + 1}" : epochs <= LabelledEpochs ? $"E{e.Epoch.Epoch + 1}" : ""))
            .ToList();
    }
}
