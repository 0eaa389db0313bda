using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using PalmLab.Web.Components.Pages.Compare;
using PalmLab.Web.Components.Shared;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Web.Components.Pages.Runs;

/// <summary>
/// The runs list: filtered, sorted and paged in SQL (<see cref="RunListQuery"/>), its view kept in the URL, reloaded
/// live (at most once a second) when a run changes status or finishes an epoch.
/// </summary>
public sealed partial class RunsPage : IDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private MudTable<RunListRow>? _table;
    private RunListFilter _filter = new();
    private HashSet<RunListRow> _selected = new(RunListRow.ById);
    private List<string> _dataSets = [];
    private int _page;
    private int _total;
    private double? _bestAuc;
    private double? _bestAccuracy;
    private bool _loaded;
    private bool _reloadAfterRender;
    private ReloadThrottle? _throttle;
    private ReloadThrottle? _batchThrottle;
    private IDisposable? _subscription;

    [Inject] private IDbContextFactory<PalmLabDbContext> DbFactory { get; set; } = null!;
    [Inject] private RunService RunService { get; set; } = null!;
    [Inject] private RunNotifier Notifier { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;

    [SupplyParameterFromQuery(Name = "status")] public string? Status { get; set; }
    // Raw text, read by RunsQuery: Blazor's own int?/bool? binding throws (a 500) on ?page=abc.
    [SupplyParameterFromQuery(Name = "depth")] public string? Depth { get; set; }
    [SupplyParameterFromQuery(Name = "dataset")] public string? DataSet { get; set; }
    [SupplyParameterFromQuery(Name = "tag")] public string? Tag { get; set; }
    [SupplyParameterFromQuery(Name = "q")] public string? Q { get; set; }
    [SupplyParameterFromQuery(Name = "sort")] public string? Sort { get; set; }
    [SupplyParameterFromQuery(Name = "desc")] public string? Desc { get; set; }
    [SupplyParameterFromQuery(Name = "page")] public string? Page { get; set; }

    protected override async Task OnInitializedAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync(_disposed.Token);
        _dataSets = await db.DataSets.OrderBy(d => d.Name).Select(d => d.Name).ToListAsync(_disposed.Token);
    }

    // A link, the back button or a filter control changed the URL: show what it says.
    protected override void OnParametersSet()
    {
        var filter = RunsQuery.Parse(Status, Depth, DataSet, Tag, Q, Sort, Desc, Page) with { PageSize = _filter.PageSize };
        if (filter == _filter)
        {
            return;
        }
        _filter = filter;
        _page = filter.Page;
        // After the render, so the table has its new page before it asks for data.
        _reloadAfterRender = _table is not null;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            _throttle = new ReloadThrottle(Time, TimeSpan.FromSeconds(1), ReloadAsync, _disposed.Token);
            // Batches only move the progress of running runs: every few seconds is enough, and keeps the table calm.
            _batchThrottle = new ReloadThrottle(Time, BatchReloadInterval, ReloadAsync, _disposed.Token);
            _subscription = Notifier.Subscribe(OnRunEvent);
        }
        if (_reloadAfterRender && _table is not null)
        {
            _reloadAfterRender = false;
            await _table.ReloadServerData();
        }
    }

    private async Task<TableData<RunListRow>> LoadAsync(TableState state, CancellationToken cancellationToken)
    {
        var parsed = Enum.TryParse<RunSortKey>(state.SortLabel, true, out var key);
        var sorted = parsed && state.SortDirection != SortDirection.None;
        var filter = _filter with
        {
            Sort = sorted ? key : RunSortKey.Created,
            Descending = !sorted || state.SortDirection == SortDirection.Descending,
            Page = state.Page,
            PageSize = state.PageSize,
        };
        if (filter != _filter)
        {
            _filter = filter;
            _page = filter.Page;
            Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(RunsQuery.ToQuery(filter)), replace: true);
        }
        await using var db = await DbFactory.CreateDbContextAsync(cancellationToken);
        var page = await RunListQuery.PageAsync(db, filter, cancellationToken);
        var running = page.Items.Where(r => r.Status == RunStatus.Running).Select(r => r.Id).ToList();
        var progress = await RunningProgress.ReadAsync(db, running, Time.GetUtcNow(), cancellationToken);
        page = page with { Items = page.Items.Select(r => progress.TryGetValue(r.Id, out var p) ? r with { Progress = p } : r).ToList() };
        _total = page.TotalCount;
        _bestAuc = Best(page.Items.Select(r => r.BestAuc));
        _bestAccuracy = Best(page.Items.Select(r => r.BestAccuracy));
        _throttle?.Loaded();
        _batchThrottle?.Loaded();
        _loaded = true;
        StateHasChanged();
        return new TableData<RunListRow> { Items = page.Items, TotalItems = page.TotalCount };
    }

    private Task ApplyAsync(RunListFilter filter)
    {
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(RunsQuery.ToQuery(filter with { Page = 0 })));
        return Task.CompletedTask;
    }

    private Task ClearFiltersAsync() => ApplyAsync(_filter.Cleared());

    private async Task DeleteSelectedAsync()
    {
        var runs = _selected.OrderBy(r => r.Id).ToList();
        var confirmed = await Dialogs.ShowMessageBoxAsync(new MessageBoxOptions
        {
            Title = runs.Count == 1 ? $"Delete \u201c{runs[0].Name}\u201d?" : $"Delete {runs.Count} runs?",
            Message = "Their metrics, losses and checkpoint files are deleted too. This cannot be undone.",
            YesText = "Delete",
            CancelText = "Keep",
        });
        if (confirmed != true)
        {
            return;
        }
        var refusals = new List<string>();
        var deleted = 0;
        foreach (var run in runs)
        {
            var result = await RunService.DeleteAsync(run.Id, _disposed.Token);
            if (result.Refusal is { } refusal) refusals.Add(refusal);
            else if (result.Found) deleted++;
        }
        _selected = new HashSet<RunListRow>(RunListRow.ById);
        Snackbar.Add(deleted == 1 ? "Deleted 1 run." : $"Deleted {deleted} runs.", deleted > 0 ? Severity.Success : Severity.Info);
        if (refusals.Count > 0)
        {
            Snackbar.Add($"Not deleted: {string.Join(" ", refusals)}", Severity.Warning);
        }
        if (_table is not null) await _table.ReloadServerData();
    }

    // Called on the notifier's thread; a burst of epochs and status changes becomes at most one reload a second.
    private void OnRunEvent(RunEvent runEvent)
    {
        if (runEvent is StatusChangedEvent or EpochCompletedEvent)
        {
            _throttle?.Request();
        }
        else if (runEvent is BatchLossesEvent)
        {
            _batchThrottle?.Request();
        }
    }

    private Task ReloadAsync() => InvokeAsync(async () =>
    {
        if (_table is not null) await _table.ReloadServerData();
    });

    private string? CompareHref => CompareSelection.Fits(_selected.Count) ? CompareSelection.Href(_selected.Select(r => r.Id).Order()) : null;

    private string CompareTitle => CompareHref is null
        ? $"Select {CompareSelection.MinRuns} to {CompareSelection.MaxRuns} runs to compare them"
        : $"Compare the {_selected.Count} selected runs";

    private SortDirection Initial(RunSortKey key) =>
        _filter.Sort != key ? SortDirection.None : _filter.Descending ? SortDirection.Descending : SortDirection.Ascending;

    // A mark says "this one beat the others": none when there are no others, or when every run has the same value.
    private static double? Best(IEnumerable<double?> values)
    {
        var known = values.OfType<double>().ToList();
        return known.Distinct().Count() > 1 ? known.Max() : null;
    }

    private static readonly TimeSpan BatchReloadInterval = TimeSpan.FromSeconds(5);

    private static double Progress(RunListRow run) => run.Progress is { } p
        ? p.Percent
        : run.Epochs == 0 ? 0 : 100.0 * run.EpochsDone / run.Epochs;

    // A cross-validated run's Epochs count every fold's; its progress names the fold and the epoch within it.
    private static string ProgressText(RunListRow run) => run.Progress is { } p
        ? (p.Fold is { } fold && run.Folds is { } folds ? $"fold {fold}/{folds} · epoch {p.Epoch}/{run.Epochs / folds}" : $"epoch {p.Epoch}/{run.Epochs}")
          + $" · batch {p.Batch}/{p.BatchesPerEpoch}" + (p.Remaining is { } left ? $" · {TimeText.Duration(left)} left" : "")
        : $"{run.EpochsDone}/{run.Epochs} epochs";

    private string Duration(RunListRow run) => run.StartedAt is { } started
        ? TimeText.Duration((run.FinishedAt ?? Time.GetUtcNow()) - started)
        : "—";

    public void Dispose()
    {
        _subscription?.Dispose();
        _disposed.Cancel();
        _disposed.Dispose();
    }

    private static string? CvTitle(RunListRow run) =>
        run.Folds is { } k ? $"Mean ± std over {run.FoldsFinished} of {k} folds at the final epoch" : null;
}
