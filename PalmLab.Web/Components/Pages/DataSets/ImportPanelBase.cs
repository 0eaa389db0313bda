using Microsoft.AspNetCore.Components;
using PalmLab.Engine;
using PalmLab.Web.DataSets;

namespace PalmLab.Web.Components.Pages.DataSets;

/// <summary>
/// What the three ways of adding a data set share: one piece of work at a time, its progress drawn as it comes, Cancel,
/// a clear message for every refusal, and the new data set's page at the end. Leaving the page (or losing the circuit)
/// cancels the work, and the service then removes everything it wrote.
/// </summary>
public abstract class ImportPanelBase : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private CancellationTokenSource? _work;
    private int _renderPending;

    [Inject] protected DataSetImports Imports { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [Inject] private ILogger<ImportPanelBase> Logger { get; set; } = null!;

    /// <summary>The panel's close button was pressed.</summary>
    [Parameter]
    public EventCallback Closed { get; set; }

    protected ImportProgress? Progress { get; private set; }

    protected string? Error { get; set; }

    protected bool Busy => _work is not null;

    /// <summary>Runs <paramref name="work"/> (which returns the new data set's id) and opens that data set's page.</summary>
    protected async Task RunAsync(Func<IProgress<ImportProgress>, CancellationToken, Task<int>> work)
    {
        Error = null;
        Progress = null;
        _work = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
        try
        {
            var id = await work(new InlineProgress<ImportProgress>(Report), _work.Token);
            // The last steps (registering, moving into place) finish even when the user has left: then stay where they went.
            if (!_disposed.IsCancellationRequested)
            {
                Navigation.NavigateTo($"/datasets/{id}");
            }
        }
        catch (PalmLabException e)
        {
            Error = e.Message;
        }
        catch (OperationCanceledException) when (_work.IsCancellationRequested)
        {
            Error = "Cancelled; nothing was kept.";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Logger.LogError(e, "Adding a data set failed");
            Error = $"Adding the data set failed: {e.Message} Nothing was kept.";
        }
        finally
        {
            _work.Dispose();
            _work = null;
            Progress = null;
        }
    }

    protected void Cancel() => _work?.Cancel();

    /// <summary>Called with each progress report, on the worker's thread, before the panel is redrawn.</summary>
    protected virtual void OnProgress(ImportProgress progress)
    {
    }

    // Reports come from worker threads, often: one redraw at a time is queued, and it shows the latest report.
    private void Report(ImportProgress progress)
    {
        Progress = progress;
        OnProgress(progress);
        if (Interlocked.Exchange(ref _renderPending, 1) == 0)
        {
            _ = InvokeAsync(() =>
            {
                Volatile.Write(ref _renderPending, 0);
                StateHasChanged();
            });
        }
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
        GC.SuppressFinalize(this);
    }
}
