using Microsoft.AspNetCore.Components;
using PalmLab.Engine.Training;
using PalmLab.Web.Components.Pages.Runs;
using PalmLab.Web.Components.Shared;

namespace PalmLab.Web.Components.Pages.Compare;

public sealed partial class CompareCharts
{
    private double _smoothing = 0.6;
    private bool _log;
    private IReadOnlyList<ComparedRun>? _built;
    private IReadOnlyList<ChartSeries> _loss = [];
    private IReadOnlyList<EpochChart> _epochCharts = [];

    [Parameter, EditorRequired]
    public IReadOnlyList<ComparedRun> Runs { get; set; } = [];

    [Parameter]
    public bool Dark { get; set; }

    // A third of the width holds about two legend entries a line: the chart grows with them, so the plot keeps its room.
    private int EpochChartHeight => 240 + 20 * ((Runs.Count + 1) / 2);

    protected override void OnParametersSet()
    {
        // Only a new reading rebuilds the series, so a re-render for the theme sends the charts nothing new.
        if (ReferenceEquals(Runs, _built))
        {
            return;
        }
        _built = Runs;
        BuildLoss();
        _epochCharts =
        [
            Epochs("Validation loss", e => e.ValidationLoss),
            Epochs("Accuracy", e => e.Validation?.Accuracy),
            Epochs("AUC", e => e.Validation?.Auc),
        ];
    }

    private void SetSmoothing(double value)
    {
        _smoothing = value;
        BuildLoss();
    }

    // The smoothed line only: ten raw curves on top of each other are noise.
    private void BuildLoss() => _loss = Runs.Select(r =>
    {
        var smoothed = Smoothing.Ema(r.BatchLoss.Select(p => p.Y).ToList(), _smoothing);
        return new ChartSeries(r.Label, r.BatchLoss.Select((p, i) => p with { Y = smoothed[i] }).ToList());
    }).ToList();

    // Every run gets a series, even an empty one, so the colours stay in the runs' order.
    private EpochChart Epochs(string title, Func<EpochResult, double?> metric) => new(title, Runs.Select(r => new ChartSeries(
        r.Label, r.Epochs.Where(e => metric(e) is not null).Select(e => new ChartPoint(e.Epoch, metric(e)!.Value)).ToList(), Markers: 4)).ToList());

    private sealed record EpochChart(string Title, IReadOnlyList<ChartSeries> Series);
}
