using System.Globalization;
using Microsoft.AspNetCore.Components;
using PalmLab.Engine.Training;
using PalmLab.Web.Components.Shared;

namespace PalmLab.Web.Components.Pages.NewRun;

/// <summary>
/// Redraws the schedule a quarter of a second after the options stop changing (the first drawing is immediate), so
/// typing sends one chart update, not one per key.
/// </summary>
public sealed partial class LrChart : IDisposable
{
    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(250);

    private IReadOnlyList<ChartSeries> _series = [];
    private string _summary = "";
    private string _noData = "Choose a data set to see the schedule";
    private (TrainingOptions Options, int? Images)? _drawn;
    private CancellationTokenSource? _pending;

    [Inject] private TimeProvider Time { get; set; } = null!;

    [Parameter, EditorRequired]
    public TrainingOptions Options { get; set; } = null!;

    /// <summary>Images trained on per epoch (after any holdout); null without a data set.</summary>
    [Parameter]
    public int? TrainImages { get; set; }

    [Parameter]
    public bool Dark { get; set; }

    /// <summary>The points drawn now, for tests and the page.</summary>
    public IReadOnlyList<ChartPoint> Points => _series.Count > 0 ? _series[0].Points : [];

    protected override void OnParametersSet()
    {
        var wanted = (Options, TrainImages);
        if (_drawn == wanted)
        {
            return;
        }
        if (_drawn is null)
        {
            Draw(wanted);
            return;
        }
        _pending?.Cancel();
        _pending?.Dispose();
        _pending = new CancellationTokenSource();
        _ = DrawLaterAsync(wanted, _pending.Token);
    }

    private async Task DrawLaterAsync((TrainingOptions Options, int? Images) wanted, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Debounce, Time, cancellationToken);
            await InvokeAsync(() =>
            {
                Draw(wanted);
                StateHasChanged();
            });
        }
        catch (OperationCanceledException)
        {
            // A newer change replaced this one.
        }
    }

    private void Draw((TrainingOptions Options, int? Images) wanted)
    {
        _drawn = wanted;
        var (options, images) = wanted;
        // Options that do not validate would draw something training never does; the fields say what is wrong.
        var valid = options.Validate().Count == 0;
        var steps = images is { } n && valid ? LrCurve.TotalSteps(options, n) : 0;
        _noData = images is null ? "Choose a data set to see the schedule" : "Correct the options to see the schedule";
        _series = steps > 0 ? [new ChartSeries("Learning rate", LrCurve.Points(options, steps))] : [];
        _summary = steps > 0
            ? string.Create(CultureInfo.InvariantCulture,
                $"{steps:N0} steps: {options.Epochs:N0} epoch{(options.Epochs == 1 ? "" : "s")} × {steps / options.Epochs:N0} batches ({images:N0} training images)")
            : "";
    }

    public void Dispose()
    {
        _pending?.Cancel();
        _pending?.Dispose();
    }
}
