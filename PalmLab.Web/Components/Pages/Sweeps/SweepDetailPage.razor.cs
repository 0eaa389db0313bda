using Microsoft.AspNetCore.Components;
using MudBlazor;
using PalmLab.Web.Components.Layout;
using PalmLab.Web.Components.Shared;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;
using PalmLab.Web.Sweeps;

namespace PalmLab.Web.Components.Pages.Sweeps;

/// <summary>
/// One sweep: its progress, its trials sorted by the metric with the best marked, the metric against each swept option,
/// Cancel and "Use as preset". Follows its trials live through <see cref="RunNotifier"/>.
/// </summary>
public sealed partial class SweepDetailPage : IDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private SweepView? _sweep;
    private bool _loaded, _busy;
    private string? _message;
    private Severity _messageSeverity = Severity.Info;
    private IDisposable? _subscription;
    private ReloadThrottle? _throttle;

    [Inject] private SweepQueries Queries { get; set; } = null!;
    [Inject] private SweepService Sweeps { get; set; } = null!;
    [Inject] private RunNotifier Notifier { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;

    [Parameter]
    public int Id { get; set; }

    [CascadingParameter(Name = ThemePreference.DarkModeCascade)]
    public bool Dark { get; set; }

    protected override Task OnParametersSetAsync() => LoadAsync();

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            _throttle = new ReloadThrottle(Time, TimeSpan.FromSeconds(1), () => InvokeAsync(async () => { await LoadAsync(); StateHasChanged(); }), _disposed.Token);
            _subscription = Notifier.Subscribe(e =>
            {
                if (e is not BatchLossesEvent && _sweep?.Trials.Any(t => t.RunId == e.RunId) == true)
                {
                    _throttle.Request();
                }
            });
        }
    }

    private async Task LoadAsync()
    {
        _sweep = await Queries.ReadAsync(Id, _disposed.Token);
        _loaded = true;
        _throttle?.Loaded();
    }

    private async Task CancelAsync()
    {
        _busy = true;
        var result = await Sweeps.CancelAsync(Id, _disposed.Token);
        (_message, _messageSeverity) = result.Refusal is { } why ? (why, Severity.Warning)
            : ("Sweep cancelled: its queued and running trials are cancelled, finished ones are kept.", Severity.Info);
        await LoadAsync();
        _busy = false;
    }

    private async Task SavePresetAsync()
    {
        var dialog = await Dialogs.ShowAsync<SavePresetDialog>("Use as preset", new DialogParameters<SavePresetDialog> { { d => d.SweepId, Id } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        if (await dialog.Result is { Canceled: false, Data: string name })
        {
            (_message, _messageSeverity) = ($"Saved as the preset \u201c{name}\u201d: choose it on New run or New sweep, or send \"preset\": \"{name}\" to POST /api/runs.", Severity.Success);
        }
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
