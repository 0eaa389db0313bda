using Microsoft.AspNetCore.Components;
using PalmLab.Web.Components.Shared;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;
using PalmLab.Web.Sweeps;

namespace PalmLab.Web.Components.Pages.Sweeps;

/// <summary>Every sweep with its progress and best trial, refreshed as its trials start and end.</summary>
public sealed partial class SweepsPage : IDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private List<SweepView> _sweeps = [];
    private bool _loaded;
    private IDisposable? _subscription;
    private ReloadThrottle? _throttle;

    [Inject] private SweepQueries Queries { get; set; } = null!;
    [Inject] private RunNotifier Notifier { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;

    protected override Task OnInitializedAsync() => LoadAsync();

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            _throttle = new ReloadThrottle(Time, TimeSpan.FromSeconds(1), () => InvokeAsync(async () => { await LoadAsync(); StateHasChanged(); }), _disposed.Token);
            _subscription = Notifier.Subscribe(e =>
            {
                if (e is not BatchLossesEvent)
                {
                    _throttle.Request();
                }
            });
        }
    }

    private async Task LoadAsync()
    {
        _sweeps = await Queries.ListAsync(_disposed.Token);
        _loaded = true;
        _throttle?.Loaded();
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
