using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using PalmLab.Engine;
using PalmLab.Engine.Inference;
using PalmLab.Web.Components.Shared;
using PalmLab.Web.Options;
using PalmLab.Web.Predictions;

namespace PalmLab.Web.Components.Pages.Predict;

/// <summary>
/// /predict: choose a checkpoint (or a cross-validated run's ensemble of fold models), a threshold and test-time flip,
/// drop images, read each one's probability and Grad-CAM. The address keeps the checkpoint, the threshold and the flip
/// (?checkpoint=12:ensemble&amp;threshold=0.4&amp;tta=flip). Predictions run in-process.
/// </summary>
public sealed partial class PredictPage : IDisposable
{
    private readonly CancellationTokenSource _closed = new();
    private IReadOnlyList<CheckpointChoice>? _choices;
    private CheckpointChoice? _checkpoint;
    private CheckpointChoice? _resultsCheckpoint;
    private TestTimeAugmentation _resultsTta;
    private double _threshold;
    private bool _flip;
    private IReadOnlyList<ImageUpload> _uploads = [];
    private IReadOnlyList<FilePrediction> _results = [];
    private FilePrediction? _selected;
    private bool _busy;
    private string _progress = "";
    private string? _error;

    [Inject]
    private PredictionService Predictions { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private ILogger<PredictPage> Logger { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "checkpoint")]
    public string? CheckpointKey { get; set; }

    [SupplyParameterFromQuery(Name = "threshold")]
    public string? ThresholdParameter { get; set; }

    [SupplyParameterFromQuery(Name = "tta")]
    public string? TtaParameter { get; set; }

    private PalmLabOptions Settings => Predictions.Settings;

    protected override async Task OnInitializedAsync()
    {
        _choices = await Predictions.ListCheckpointsAsync(_closed.Token);
        _checkpoint = ChoiceFromAddress() ?? PredictionService.DefaultOf(_choices);
        // Raw text: Blazor's own double? binding throws (a 500) on ?threshold=abc; a value that does not read is ignored.
        _threshold = QueryValue.Double(ThresholdParameter) is { } t and > 0 and < 1 ? t : _checkpoint?.Threshold ?? 0.5;
        _flip = string.Equals(TtaParameter, "flip", StringComparison.OrdinalIgnoreCase);
    }

    public void Dispose()
    {
        _closed.Cancel();
        _closed.Dispose();
    }

    internal static string Format(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private CheckpointChoice? ChoiceFromAddress()
    {
        try
        {
            return CheckpointKey is { Length: > 0 } key ? PredictionService.Find(_choices!, key) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private async Task ChooseCheckpointAsync(CheckpointChoice choice)
    {
        _checkpoint = choice;
        _threshold = choice.Threshold;
        UpdateAddress();
        if (_uploads.Count > 0)
        {
            await RunAsync();
        }
    }

    private void SetThreshold(double threshold)
    {
        _threshold = Math.Round(threshold, 2);
        UpdateAddress();
    }

    private async Task SetFlipAsync(bool flip)
    {
        _flip = flip;
        UpdateAddress();
        if (_uploads.Count > 0)
        {
            await RunAsync();
        }
    }

    private void Select(FilePrediction result) => _selected = result;

    private async Task PredictAsync(IReadOnlyList<ImageUpload> uploads)
    {
        _uploads = uploads;
        await RunAsync();
    }

    private async Task RunAsync()
    {
        if (_checkpoint is null)
        {
            return;
        }
        _busy = true;
        _error = null;
        _progress = _uploads.Count == 1 ? $"Predicting {_uploads[0].Name}…" : $"Predicting {_uploads.Count} images…";
        StateHasChanged();
        try
        {
            var tta = _flip ? TestTimeAugmentation.Flip : TestTimeAugmentation.None;
            _results = await Predictions.PredictAsync(_checkpoint, _uploads, cam: true, tta, _closed.Token);
            _resultsCheckpoint = _checkpoint;
            _resultsTta = tta;
            _selected = _results.FirstOrDefault(r => r.Probability is not null) ?? (_results.Count == 1 ? _results[0] : null);
        }
        catch (PalmLabException e)
        {
            _error = e.Message;
            _results = [];
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Logger.LogError(e, "Prediction on the Predict page failed");
            _error = "The prediction failed unexpectedly; the log has the details.";
            _results = [];
        }
        finally
        {
            _busy = false;
        }
    }

    private void UpdateAddress()
    {
        var address = Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["checkpoint"] = _checkpoint?.Key,
            ["threshold"] = _checkpoint is not null && Math.Abs(_threshold - _checkpoint.Threshold) > 1e-9 ? Format(_threshold) : null,
            ["tta"] = _flip ? "flip" : null,
        });
        Navigation.NavigateTo(address, replace: true);
    }
}
