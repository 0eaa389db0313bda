using System.Net;
using System.Net.Http.Json;
using PalmLab.Web.Api;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Tests.Web;

/// <summary>Finding runs (the list filters), reading curves thinned by points=, and resuming on a foreign checkpoint.</summary>
public class RunsListTests : IDisposable
{
    private readonly PalmLabAppFactory _app = new();
    private readonly HttpClient _client;

    public RunsListTests() => _client = _app.CreateClient();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task ListRuns_EachFilter_ReturnsOnlyMatchingRuns()
    {
        var blocker = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 500));
        await _client.WaitForAsync(blocker.Id, RunStatus.Running);
        var first = await _client.QueueAsync(new { dataSet = "tiny", preset = "quick", imageSize = 32, batchSize = 4, epochs = 1, name = "first", tags = "alpha,beta" });
        var second = await _client.QueueAsync(new { dataSet = "tiny", preset = "quick", imageSize = 32, batchSize = 4, epochs = 1, name = "second", tags = "beta", notes = "about gamma rays" });
        var third = await _client.QueueAsync(new { dataSet = "tiny", preset = "quick", imageSize = 32, batchSize = 4, epochs = 1, name = "third", tags = "alphabet" });
        var tiny = (await _client.GetFromJsonAsync<List<DataSetDto>>("/api/datasets", ApiClient.Json))!.Single();

        Assert.Equal([first.Id], await IdsAsync("tag=alpha"));
        Assert.Equal([second.Id, first.Id], await IdsAsync("tag=beta"));
        Assert.Equal([third.Id], await IdsAsync("tag=alphabet"));
        Assert.Equal([second.Id], await IdsAsync("search=gamma"));
        Assert.Equal([third.Id], await IdsAsync("search=thi"));
        // The runs page's search: case ignored, the text trimmed.
        Assert.Equal([second.Id], await IdsAsync("search=%20GAMMA%20"));
        Assert.Equal([third.Id], await IdsAsync("search=THIRD"));
        Assert.Equal([first.Id], await IdsAsync("tag=ALPHA"));
        Assert.Equal([blocker.Id], await IdsAsync("status=Running"));
        Assert.Equal([third.Id, second.Id, first.Id], await IdsAsync("status=Queued"));
        Assert.Equal([third.Id, second.Id, first.Id, blocker.Id], await IdsAsync($"dataSetId={tiny.Id}"));
        Assert.Empty(await IdsAsync($"dataSetId={tiny.Id + 1}"));
        Assert.Equal([second.Id], await IdsAsync("status=Queued&tag=beta&search=gamma"));
        foreach (var run in new[] { third, second, first, blocker })
        {
            await _client.PostAsync($"/api/runs/{run.Id}/cancel", null);
        }
    }

    [Fact]
    public async Task BatchLosses_PointsParameter_KeepsEachBucketsMinimumAndMaximum()
    {
        // 16 training images in batches of 2 for 2 epochs: 16 steps.
        var run = await _client.QueueAsync(new { dataSet = "tiny", preset = "quick", imageSize = 32, batchSize = 2, epochs = 2 });
        await _client.WaitForAsync(run.Id, RunStatus.Completed);

        var all = (await _client.GetFromJsonAsync<List<BatchPoint>>($"/api/runs/{run.Id}/batch-losses", ApiClient.Json))!;
        var thinned = (await _client.GetFromJsonAsync<List<BatchPoint>>($"/api/runs/{run.Id}/batch-losses?points=6", ApiClient.Json))!;
        var csv = (await _client.GetStringAsync($"/api/runs/{run.Id}/batch-losses.csv?points=6")).TrimEnd('\n').Split('\n');

        Assert.Equal(16, all.Count);
        Assert.InRange(thinned.Count, 3, 6);
        Assert.Subset(all.ToHashSet(), thinned.ToHashSet());
        Assert.Equal(thinned.OrderBy(p => p.Step), thinned);
        Assert.Contains(all.MinBy(p => p.Loss), thinned);
        Assert.Contains(all.MaxBy(p => p.Loss), thinned);
        for (var bucket = 0; bucket < 3; bucket++)
        {
            var members = all.Skip(bucket * 16 / 3).Take((bucket + 1) * 16 / 3 - bucket * 16 / 3).ToList();
            Assert.Contains(members.MinBy(p => p.Loss), thinned);
            Assert.Contains(members.MaxBy(p => p.Loss), thinned);
        }
        Assert.Equal(thinned.Count + 1, csv.Length);
        Assert.Equal(all, (await _client.GetFromJsonAsync<List<BatchPoint>>($"/api/runs/{run.Id}/batch-losses?points=100", ApiClient.Json))!);
    }

    [Fact]
    public async Task Resume_CheckpointOfAnotherDepth_Answers409NamingBoth()
    {
        var other = await _client.QueueAsync(new { dataSet = "tiny", preset = "quick", depth = 34, imageSize = 32, batchSize = 4, epochs = 1 });
        await _client.WaitForAsync(other.Id, RunStatus.Completed);
        var run = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 500));
        await WaitForEpochAsync(run.Id);
        await _client.PostAsync($"/api/runs/{run.Id}/cancel", null);
        await _client.WaitForAsync(run.Id, RunStatus.Cancelled);
        File.Copy(Path.Combine(_app.CheckpointsDir, $"run-{other.Id}", "last.ckpt"), Path.Combine(_app.CheckpointsDir, $"run-{run.Id}", "last.ckpt"), overwrite: true);

        var response = await _client.PostAsync($"/api/runs/{run.Id}/resume", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains($"Run {run.Id}'s checkpoint holds a ResNet-34, not the ResNet-18 asked for", await response.Content.ReadAsStringAsync());
        Assert.Equal(RunStatus.Cancelled, (await _client.GetRunAsync(run.Id)).Status);
    }

    private async Task<List<int>> IdsAsync(string query) =>
        (await _client.GetFromJsonAsync<List<RunDto>>($"/api/runs?{query}", ApiClient.Json))!.Select(r => r.Id).ToList();

    private async Task WaitForEpochAsync(int runId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while ((await _client.GetRunAsync(runId)).Epochs!.Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"run {runId} finished no epoch in 120 s");
            await Task.Delay(100);
        }
    }
}
