using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using PalmLab.Engine.Training;
using PalmLab.Web.Api;
using PalmLab.Web.Components.Layout;
using PalmLab.Web.Components.Shared;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Web.Components.Pages.Runs;

/// <summary>
/// One run: its header and actions, progress, loss curve (live), epochs, the chosen epoch's confusion matrix and ROC,
/// and its options. Reads in-process (<see cref="RunReader"/>), acts through <see cref="RunService"/>.
/// </summary>
public sealed partial class RunDetailPage : IDisposable
{
    // About what a chart can draw smoothly; the thinning keeps each bucket's spikes.
    private const int CurvePoints = 2000;

    private readonly CancellationTokenSource _disposed = new();
    private Run? _run;
    private List<FoldEpoch> _allEpochs = [];
    private List<EpochResult> _epochs = [];
    private CrossValidationDto? _crossValidation;
    private IReadOnlyList<BatchPoint> _curve = [];
    private Dictionary<(int? Fold, int Epoch), long> _epochEnds = [];
    private IDisposable? _subscription;
    private bool _loaded;
    private bool _busy;

    [Inject] private IDbContextFactory<PalmLabDbContext> DbFactory { get; set; } = null!;
    [Inject] private RunService RunService { get; set; } = null!;
    [Inject] private RunNotifier Notifier { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;

    [Parameter]
    public int Id { get; set; }

    /// <summary>The epoch whose confusion matrix and ROC are shown (?epoch=N); anything else shows the best epoch.</summary>
    [SupplyParameterFromQuery(Name = "epoch")]
    public string? EpochQuery { get; set; }

    /// <summary>The fold of a cross-validated run whose epochs, validation and checkpoints are shown (?fold=N); else the mean.</summary>
    [SupplyParameterFromQuery(Name = "fold")]
    public string? FoldQuery { get; set; }

    [CascadingParameter(Name = ThemePreference.DarkModeCascade)]
    public bool Dark { get; set; }

    private int? SelectedFold => _run?.Options.Folds is { } k ? QueryValue.Int(FoldQuery, 1, k) : null;

    private int? SelectedEpoch => QueryValue.Int(EpochQuery);

    private int BatchesPerEpoch => _run?.DataSet is { } dataSet ? RunMapping.BatchesPerEpoch(_run.Options, dataSet) : 1;

    protected override async Task OnParametersSetAsync()
    {
        if (_run?.Id != Id)
        {
            await LoadAsync();
        }
        else
        {
            SelectFold();
        }
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            _subscription = Notifier.Subscribe(OnRunEvent);
        }
    }

    private async Task LoadAsync()
    {
        var ct = _disposed.Token;
        await using (var db = await DbFactory.CreateDbContextAsync(ct))
        {
            _run = await db.Runs.Include(r => r.DataSet).Include(r => r.Checkpoints).AsSplitQuery().AsNoTracking().SingleOrDefaultAsync(r => r.Id == Id, ct);
        }
        _allEpochs = _run is null ? [] : await RunReader.ReadFoldEpochsAsync(DbFactory, Id, ct) ?? [];
        _crossValidation = _run?.Options.Folds is null ? null : CrossValidationDto.From(_run.Options, FoldEpochsDto.Group(_allEpochs));
        SelectFold();
        _curve = _run is null ? [] : await RunReader.ReadCurveAsync(DbFactory, Id, CurvePoints, ct) ?? [];
        _epochEnds = _run is null ? [] : await RunReader.ReadEpochEndsAsync(DbFactory, Id, ct);
        _loaded = true;
    }

    // Called on the notifier's thread. Epochs and statuses reload the page; batches are the chart's script's and the
    // progress card's own business, so they cause no render here.
    private void OnRunEvent(RunEvent runEvent)
    {
        if (runEvent.RunId != Id || runEvent is BatchLossesEvent || _disposed.IsCancellationRequested)
        {
            return;
        }
        _ = InvokeAsync(async () =>
        {
            try
            {
                await LoadAsync();
                StateHasChanged();
            }
            catch (OperationCanceledException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
        });
    }

    // An ordinary run's epochs, or the chosen fold's (none for the mean, which has its own table).
    private void SelectFold() => _epochs = _allEpochs.Where(e => e.Fold == SelectedFold).Select(e => e.Epoch).ToList();

    private IReadOnlyList<RunCheckpoint> ShownCheckpoints =>
        _run!.Checkpoints.Where(c => SelectedFold is null || c.Fold == SelectedFold).OrderBy(c => c.Fold).ToList();

    private string? FoldTitle => SelectedFold is { } fold ? $" · fold {fold}" : _crossValidation is null ? null : " · mean over the folds";

    // The fold is kept in the address; another fold's epochs differ, so the chosen epoch is dropped.
    private void ChooseFold(int? fold) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?> { ["fold"] = fold, ["epoch"] = null }), replace: true);

    private void ChooseEpoch(int epoch) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("epoch", epoch), replace: true);

    private void NotesSaved(Run saved)
    {
        _run!.Notes = saved.Notes;
        _run.Tags = saved.Tags;
    }

    private Task CancelAsync() => ActAsync(ct => RunService.CancelAsync(Id, ct), "Cancelled.");

    private Task ResumeAsync() => ActAsync(ct => RunService.ResumeAsync(Id, ct), "Queued to resume from its last checkpoint.");

    private async Task ActAsync(Func<CancellationToken, Task<RunActionResult>> action, string done)
    {
        _busy = true;
        try
        {
            var result = await action(_disposed.Token);
            if (!result.Found) Snackbar.Add($"Run {Id} no longer exists.", Severity.Warning);
            else if (result.Refusal is { } refusal) Snackbar.Add(refusal, Severity.Warning);
            else Snackbar.Add(done, Severity.Success);
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    // The form filled from this run, so the copy can be changed before it is queued.
    private Task CloneAsync()
    {
        Navigation.NavigateTo($"/runs/new?from={Id}");
        return Task.CompletedTask;
    }

    private async Task DeleteAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(new MessageBoxOptions
        {
            Title = $"Delete \u201c{_run!.Name}\u201d?",
            Message = "Its metrics, losses and checkpoint files are deleted too. This cannot be undone.",
            YesText = "Delete",
            CancelText = "Keep",
        });
        if (confirmed != true)
        {
            return;
        }
        var result = await RunService.DeleteAsync(Id, _disposed.Token);
        if (result.Refusal is { } refusal)
        {
            Snackbar.Add(refusal, Severity.Warning);
            return;
        }
        Snackbar.Add("Deleted.", Severity.Success);
        Navigation.NavigateTo("/");
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
