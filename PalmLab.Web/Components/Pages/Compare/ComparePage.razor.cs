using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using PalmLab.Web.Components.Layout;
using PalmLab.Web.Components.Shared;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Web.Components.Pages.Compare;

/// <summary>
/// Two to ten runs side by side (<c>/compare?runs=3,5,8</c>): their curves overlaid, metrics with the best marked, and
/// the options that differ. Reads in-process; reloads (at most once a second) when one of them ends an epoch or
/// changes status.
/// </summary>
public sealed partial class ComparePage : IDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private string? _shownQuery;
    private IReadOnlyList<int> _ids = [];
    private CompareProblem? _problem;
    private List<ComparedRun> _runs = [];
    private List<int> _unknown = [];
    private IReadOnlyList<MetricRow> _metrics = [];
    private IReadOnlyList<OptionRow> _options = [];
    private bool _loaded;
    private ReloadThrottle? _throttle;
    private IDisposable? _subscription;

    [Inject] private IDbContextFactory<PalmLabDbContext> DbFactory { get; set; } = null!;
    [Inject] private RunNotifier Notifier { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;

    [SupplyParameterFromQuery(Name = "runs")]
    public string? Runs { get; set; }

    [CascadingParameter(Name = ThemePreference.DarkModeCascade)]
    public bool Dark { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        // A chip's remove link changes the query; anything else (the theme) leaves the runs as they are.
        if (_loaded && Runs == _shownQuery)
        {
            return;
        }
        _shownQuery = Runs;
        var selection = CompareSelection.Parse(Runs);
        _ids = selection.Ids;
        _problem = selection.Problem;
        await LoadAsync();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            _throttle = new ReloadThrottle(Time, TimeSpan.FromSeconds(1), ReloadAsync, _disposed.Token);
            _throttle.Loaded();
            _subscription = Notifier.Subscribe(OnRunEvent);
        }
    }

    private async Task LoadAsync()
    {
        if (_ids.Count > 0)
        {
            (_runs, _unknown) = await CompareLoader.LoadAsync(DbFactory, _ids, _disposed.Token);
            _problem = CompareSelection.Missing(_unknown, _runs.Count);
            _metrics = CompareMetrics.Build(_runs, Time.GetUtcNow());
            _options = CompareOptions.Build(_runs.Select(r => r.Run).ToList());
        }
        _throttle?.Loaded();
        _loaded = true;
    }

    // Called on the notifier's thread; batches are left out (the curves move with each epoch), and a burst of
    // epochs and statuses becomes at most one reload a second.
    private void OnRunEvent(RunEvent runEvent)
    {
        if (runEvent is (StatusChangedEvent or EpochCompletedEvent) && _ids.Contains(runEvent.RunId))
        {
            _throttle?.Request();
        }
    }

    private Task ReloadAsync() => InvokeAsync(async () =>
    {
        await LoadAsync();
        StateHasChanged();
    });

    public void Dispose()
    {
        _subscription?.Dispose();
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
