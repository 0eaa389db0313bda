using System.Net.Http.Json;
using PalmLab.Web.Data;

namespace PalmLab.Tests.Web;

/// <summary>PalmLab:MaxConcurrentRuns 0: a dashboard that shows and records runs and trains none of them.</summary>
public sealed class ViewerDashboardTests : IDisposable
{
    private readonly PalmLabAppFactory _app = new(settings: new() { ["MaxConcurrentRuns"] = "0" });

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task QueuedRun_OnADashboardThatTrainsNothing_StaysQueuedAndStartsNoProcess()
    {
        var client = _app.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/runs", PalmLabAppFactory.TinyRun());
        var run = (await response.Content.ReadFromJsonAsync<PalmLab.Web.Api.RunDto>(ApiClient.Json))!;

        // Queuing wakes the worker at once, and it looks again every 2 s: past two looks, a claim would have happened.
        await Task.Delay(TimeSpan.FromSeconds(5));

        var after = await client.GetRunAsync(run.Id);
        Assert.Equal(RunStatus.Queued, after.Status);
        Assert.False(Directory.Exists(Path.Combine(_app.CheckpointsDir, $"run-{run.Id}", "job")), "a training process was started");
    }
}
