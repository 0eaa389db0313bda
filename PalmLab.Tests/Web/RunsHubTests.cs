using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using PalmLab.Tests.Support;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Tests.Web;

public class RunsHubTests : IDisposable
{
    private readonly PalmLabAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task LateJoiner_HistoryThenStream_SeesEveryStepOnce()
    {
        var client = _app.CreateClient();
        var run = await client.QueueAsync(new { dataSet = "tiny", preset = "quick", imageSize = 32, batchSize = 2, epochs = 6 });
        await Wait.UntilAsync(
            async () => (await client.GetFromJsonAsync<List<BatchPoint>>($"/api/runs/{run.Id}/batch-losses", ApiClient.Json))!.Count >= 3,
            $"run {run.Id} recorded fewer than 3 batch losses",
            TimeSpan.FromSeconds(120));

        var messages = new ConcurrentQueue<BatchPoint[]>();
        var epochs = new ConcurrentQueue<int>();
        var finished = new TaskCompletionSource<RunStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hub = new HubConnectionBuilder()
            // The app listens on a loopback port (its runs' training children report there).
            .WithUrl(new Uri(client.BaseAddress!, "hubs/runs"), o => o.Transports = HttpTransportType.LongPolling)
            .Build();
        hub.On<JsonElement>("batchLosses", m => messages.Enqueue(m.GetProperty("points").Deserialize<BatchPoint[]>(ApiClient.Json)!));
        hub.On<JsonElement>("epochCompleted", m => epochs.Enqueue(m.GetProperty("epoch").GetProperty("epoch").GetInt32()));
        hub.On<JsonElement>("statusChanged", m =>
        {
            var status = Enum.Parse<RunStatus>(m.GetProperty("status").GetString()!);
            if (status is RunStatus.Completed or RunStatus.Failed)
            {
                finished.TrySetResult(status);
            }
        });
        await hub.StartAsync();
        await hub.InvokeAsync("JoinRun", run.Id);
        var history = (await client.GetFromJsonAsync<List<BatchPoint>>($"/api/runs/{run.Id}/batch-losses", ApiClient.Json))!;
        // On a fast machine the run may have ended before the join: then its end is read, not streamed.
        var statusAfterJoin = (await client.GetRunAsync(run.Id)).Status;
        if (statusAfterJoin is RunStatus.Completed or RunStatus.Failed)
        {
            // Its last points may still be on their way over long polling: the stored curve is complete by now.
            history = (await client.GetFromJsonAsync<List<BatchPoint>>($"/api/runs/{run.Id}/batch-losses", ApiClient.Json))!;
            finished.TrySetResult(statusAfterJoin);
        }

        Assert.Equal(RunStatus.Completed, await finished.Task.WaitAsync(TimeSpan.FromSeconds(120)));
        var lastKnown = history[^1].Step;
        var merged = history.Concat(messages.SelectMany(m => m).Where(p => p.Step > lastKnown)).Select(p => p.Step).ToList();
        // 16 training images in batches of 2: 8 steps per epoch, 6 epochs.
        Assert.Equal(Enumerable.Range(1, 48).Select(i => (long)i), merged);
        Assert.True(epochs.Contains(6) || history.Count == 48, "the last epoch was neither streamed nor finished before the join");
    }
}
