using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Tests.Web;

/// <summary>The runs API through the real app, on SQLite and on PostgreSQL.</summary>
public abstract class RunsApiTests : IDisposable
{
    private readonly PalmLabAppFactory _app;
    private readonly HttpClient _client;

    protected RunsApiTests(DatabaseKind database)
    {
        _app = new PalmLabAppFactory(database: database);
        _client = _app.CreateClient();
    }

    public sealed class Sqlite() : RunsApiTests(DatabaseKind.Sqlite);

    public sealed class Postgres() : RunsApiTests(DatabaseKind.Postgres);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task PostRun_TinyConfiguration_Returns201AndCompletesWithOneCsvRowPerBatch()
    {
        var response = await _client.PostAsJsonAsync("/api/runs", PalmLabAppFactory.TinyRun(epochs: 2));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var run = (await response.Content.ReadFromJsonAsync<PalmLab.Web.Api.RunDto>(ApiClient.Json))!;
        Assert.Equal($"/api/runs/{run.Id}", response.Headers.Location!.OriginalString);
        var done = await _client.WaitForAsync(run.Id, RunStatus.Completed, RunStatus.Failed);
        Assert.True(done.Status == RunStatus.Completed, done.ErrorMessage);
        Assert.Equal("cpu", done.Device);
        Assert.Equal([1, 2], done.Epochs!.Select(e => e.Epoch));
        Assert.All(done.Epochs!, e => Assert.NotNull(e.Validation)); // a data set without validation folder gets a 0.2 holdout
        Assert.Equal(2, done.Checkpoints!.Count);

        var csv = await _client.GetStringAsync($"/api/runs/{run.Id}/batch-losses.csv");
        var lines = csv.TrimEnd('\n').Split('\n');
        Assert.Equal("step,epoch,loss,learning_rate", lines[0]);
        // 20 images, holdout 0.2 -> 16 training images, batch 4 -> 4 batches per epoch, 2 epochs.
        Assert.Equal(Enumerable.Range(1, 8).Select(i => i.ToString()), lines.Skip(1).Select(l => l.Split(',')[0]));
        var epochsCsv = await _client.GetStringAsync($"/api/runs/{run.Id}/epochs.csv");
        Assert.Equal(3, epochsCsv.TrimEnd('\n').Split('\n').Length);
    }

    [Fact]
    public async Task GetDataSets_PlainLayoutFolder_IsRegisteredInPlaceWithItsReport()
    {
        var dataSets = await _client.GetFromJsonAsync<List<PalmLab.Web.Api.DataSetDto>>("/api/datasets", ApiClient.Json);

        var tiny = Assert.Single(dataSets!);
        Assert.Equal("tiny", tiny.Name);
        Assert.Equal(20, tiny.TrainImages);
        Assert.False(tiny.HasValidationFolder);
        Assert.Equal((8, 2, 10), (tiny.Report!.Normal, tiny.Report.HighMyopia, tiny.Report.Pathologic));
        Assert.Equal(64, tiny.ContentHash!.Length);
        Assert.True(File.Exists(Path.Combine(_app.DataSetsDir, "tiny", "dataset.json")));
    }

    [Fact]
    public async Task PostRun_InvalidOptions_RefusedWithAMessagePerField()
    {
        var response = await _client.PostAsJsonAsync("/api/runs", new { dataSet = "missing", epochs = 0, depth = 19, batchSize = 0 });
        var response2 = await _client.PostAsJsonAsync("/api/runs", new { dataSet = "tiny", batchSize = 17 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = problem.RootElement.GetProperty("errors");
        Assert.Contains("no data set missing", errors.GetProperty("dataSet")[0].GetString());
        Assert.Contains("must be from 1 to 1,000, not 0", errors.GetProperty("epochs")[0].GetString());
        Assert.Contains("19 is not one of", errors.GetProperty("depth")[0].GetString());
        Assert.Contains("must be from 2 to 1,024, not 0", errors.GetProperty("batchSize")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, response2.StatusCode);
        Assert.Contains("17 is larger than the 16 training images", await response2.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Queue_SeveralRuns_TrainOneAtATimeInOrder()
    {
        var first = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 1));
        var second = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 1));
        var third = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 1));

        var runs = new[] { first, second, third };
        var done = new List<PalmLab.Web.Api.RunDto>();
        foreach (var run in runs)
        {
            done.Add(await _client.WaitForAsync(run.Id, RunStatus.Completed));
        }

        Assert.True(done[0].FinishedAt <= done[1].StartedAt, "the second run started before the first finished");
        Assert.True(done[1].FinishedAt <= done[2].StartedAt, "the third run started before the second finished");
    }

    [Fact]
    public async Task Cancel_QueuedAndRunning_BothEndCancelled()
    {
        var running = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 50));
        var queued = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 1));
        await _client.WaitForAsync(running.Id, RunStatus.Running);

        var cancelQueued = await _client.PostAsync($"/api/runs/{queued.Id}/cancel", null);
        await WaitForStepsAsync(running.Id, 2);
        var cancelRunning = await _client.PostAsync($"/api/runs/{running.Id}/cancel", null);

        Assert.Equal(HttpStatusCode.NoContent, cancelQueued.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, cancelRunning.StatusCode);
        Assert.Equal(RunStatus.Cancelled, (await _client.GetRunAsync(queued.Id)).Status);
        var cancelled = await _client.WaitForAsync(running.Id, RunStatus.Cancelled, RunStatus.Completed);
        Assert.Equal(RunStatus.Cancelled, cancelled.Status);
        Assert.True(cancelled.Epochs!.Count < 50);
        var again = await _client.PostAsync($"/api/runs/{queued.Id}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Clone_FinishedRun_QueuesTheSameOptionsAndRemembersTheSource()
    {
        var source = await _client.QueueAsync(new { dataSet = "tiny", preset = "quick", imageSize = 32, batchSize = 4, epochs = 1, seed = 7, schedule = "Cosine", augmentFlip = true, tags = "a,b" });
        await _client.WaitForAsync(source.Id, RunStatus.Completed);

        var response = await _client.PostAsync($"/api/runs/{source.Id}/clone", null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var clone = (await response.Content.ReadFromJsonAsync<PalmLab.Web.Api.RunDto>(ApiClient.Json))!;
        Assert.Equal(source.Id, clone.ClonedFromId);
        Assert.Equal("tiny", clone.DataSet);
        Assert.Equal(source with { Id = clone.Id, Name = clone.Name, Status = clone.Status, ClonedFromId = clone.ClonedFromId, CreatedAt = clone.CreatedAt },
            clone with { Epochs = null, Checkpoints = null });
        Assert.Equal(RunStatus.Completed, (await _client.WaitForAsync(clone.Id, RunStatus.Completed)).Status);
    }

    [Fact]
    public async Task Delete_FinishedRun_RemovesItsRowsAndCheckpointFiles()
    {
        var run = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 1));
        await _client.WaitForAsync(run.Id, RunStatus.Completed);
        var folder = Path.Combine(_app.CheckpointsDir, $"run-{run.Id}");
        Assert.True(File.Exists(Path.Combine(folder, "last.ckpt")));

        var response = await _client.DeleteAsync($"/api/runs/{run.Id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.False(Directory.Exists(folder));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/runs/{run.Id}")).StatusCode);
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<PalmLabDbContext>>().CreateDbContextAsync();
        Assert.False(await db.BatchLosses.AnyAsync(b => b.RunId == run.Id));
        Assert.False(await db.EpochMetrics.AnyAsync(m => m.RunId == run.Id));
        Assert.False(await db.Checkpoints.AnyAsync(c => c.RunId == run.Id));
    }

    [Fact]
    public async Task Resume_RunCancelledBeforeAnyCheckpoint_IsRefusedWithAReason()
    {
        var blocker = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 50));
        var run = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 1));
        await _client.PostAsync($"/api/runs/{run.Id}/cancel", null);
        await _client.PostAsync($"/api/runs/{blocker.Id}/cancel", null);

        var response = await _client.PostAsync($"/api/runs/{run.Id}/resume", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("no checkpoint to resume from", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PostAsync("/api/runs/9999/resume", null)).StatusCode);
        Assert.NotEqual(HttpStatusCode.NoContent, (await _client.PostAsync($"/api/runs/{run.Id}/clone", null)).StatusCode);
    }

    [Fact]
    public async Task DataSetDeletedUnderAQueuedRun_RunFailsWithAClearError()
    {
        var blocker = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 50));
        await _client.WaitForAsync(blocker.Id, RunStatus.Running);
        var victim = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 1));
        Directory.Move(Path.Combine(_app.DataSetsDir, "tiny"), Path.Combine(_app.DataSetsDir, ".gone"));
        await _client.PostAsync($"/api/runs/{blocker.Id}/cancel", null);

        var failed = await _client.WaitForAsync(victim.Id, RunStatus.Failed, RunStatus.Completed);

        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Contains("Data set 'tiny' is gone", failed.ErrorMessage);
    }

    [Fact]
    public async Task CheckpointCannotBeWritten_RunFailsWithTheReason()
    {
        // A folder where last.ckpt belongs makes the checkpoint's final rename fail, as a full disk fails a write. It is
        // laid in the run's own folder (marked with its identity) while a blocker trains: a foreign folder would be moved aside.
        var blocker = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 200));
        var run = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 1));
        await _client.WaitForAsync(blocker.Id, RunStatus.Running);
        var nextId = run.Id;
        await using (var db = await _app.Services.GetRequiredService<IDbContextFactory<PalmLabDbContext>>().CreateDbContextAsync())
        {
            var folder = Path.Combine(_app.CheckpointsDir, $"run-{nextId}");
            Directory.CreateDirectory(Path.Combine(folder, "last.ckpt", "in-the-way"));
            RunFiles.WriteMarker(folder, new RunFiles.Marker(nextId, await db.Runs.Where(r => r.Id == nextId).Select(r => r.Uid).SingleAsync()));
        }
        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsync($"/api/runs/{blocker.Id}/cancel", null)).StatusCode);
        var failed = await _client.WaitForAsync(run.Id, RunStatus.Failed, RunStatus.Completed);

        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Contains("Cannot write checkpoint", failed.ErrorMessage);
        Assert.Empty(Directory.GetFiles(Path.Combine(_app.CheckpointsDir, $"run-{nextId}"), "*.tmp"));
    }

    [Fact]
    public async Task ListRuns_FilterByStatusAndSearch_ReturnsMatchingRunsNewestFirst()
    {
        var a = await _client.QueueAsync(new { dataSet = "tiny", preset = "quick", imageSize = 32, batchSize = 4, epochs = 1, name = "alpha run" });
        var b = await _client.QueueAsync(new { dataSet = "tiny", preset = "quick", imageSize = 32, batchSize = 4, epochs = 1, name = "beta run" });
        await _client.WaitForAsync(b.Id, RunStatus.Completed);

        var all = await _client.GetFromJsonAsync<List<PalmLab.Web.Api.RunDto>>("/api/runs", ApiClient.Json);
        var alpha = await _client.GetFromJsonAsync<List<PalmLab.Web.Api.RunDto>>("/api/runs?search=alpha", ApiClient.Json);
        var queued = await _client.GetFromJsonAsync<List<PalmLab.Web.Api.RunDto>>("/api/runs?status=Queued", ApiClient.Json);

        Assert.Equal([b.Id, a.Id], all!.Select(r => r.Id));
        Assert.Equal([a.Id], alpha!.Select(r => r.Id));
        Assert.Empty(queued!);
    }

    [Fact]
    public async Task ListRuns_LimitAndOffset_ReturnOnePageNewestFirstWithTheTotalInAHeader()
    {
        var ids = await AddCompletedRunsAsync(5);

        var first = await _client.GetAsync("/api/runs?limit=2");
        var second = await _client.GetAsync("/api/runs?limit=2&offset=2");
        var past = await _client.GetAsync("/api/runs?offset=5");
        var filtered = await _client.GetAsync("/api/runs?search=paged-1&limit=1");

        Assert.Equal([ids[4], ids[3]], await IdsAsync(first));
        Assert.Equal([ids[2], ids[1]], await IdsAsync(second));
        Assert.Empty(await IdsAsync(past));
        Assert.Equal([ids[0]], await IdsAsync(filtered));
        Assert.Equal(["5"], first.Headers.GetValues("X-Total-Count"));
        Assert.Equal(["5"], past.Headers.GetValues("X-Total-Count"));
        Assert.Equal(["1"], filtered.Headers.GetValues("X-Total-Count"));
    }

    [Fact]
    public async Task ListRuns_NoLimit_ReturnsTheNewest100()
    {
        var ids = await AddCompletedRunsAsync(101);

        var response = await _client.GetAsync("/api/runs");

        Assert.Equal(ids.AsEnumerable().Reverse().Take(100), await IdsAsync(response));
        Assert.Equal(["101"], response.Headers.GetValues("X-Total-Count"));
    }

    [Theory]
    [InlineData("limit=0", "limit must be a whole number from 1 to 1000")]
    [InlineData("limit=1001", "limit must be a whole number from 1 to 1000")]
    [InlineData("offset=-1", "offset must be a whole number, 0 or more")]
    public async Task ListRuns_LimitOrOffsetOutOfRange_Answers400ProblemJson(string query, string detail)
    {
        var problem = await (await _client.GetAsync($"/api/runs?{query}")).AssertProblemAsync(HttpStatusCode.BadRequest, query);

        Assert.StartsWith(detail, problem.Detail);
    }

    // Completed runs written straight to the app's database, a minute apart, oldest first: no training needed to list them.
    private async Task<List<int>> AddCompletedRunsAsync(int count)
    {
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<PalmLabDbContext>>().CreateDbContextAsync();
        var tiny = await db.DataSets.SingleAsync(d => d.Name == "tiny");
        var runs = Enumerable.Range(0, count).Select(i => RunListSeed.NewRun(tiny, $"paged-{i + 1}", i)).ToList();
        db.Runs.AddRange(runs);
        await db.SaveChangesAsync();
        return runs.Select(r => r.Id).ToList();
    }

    private static async Task<List<int>> IdsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<List<PalmLab.Web.Api.RunDto>>(ApiClient.Json))!.Select(r => r.Id).ToList();
    }

    [Fact]
    public async Task Run_Diverging_FailsSayingSoAndKeepsItsFiniteRecord()
    {
        var run = await _client.QueueAsync(new
        {
            dataSet = "tiny", preset = "quick", imageSize = 32, batchSize = 4, epochs = 20, learningRate = 10, endLearningRate = 10, momentum = 0.99,
        });

        var failed = await _client.WaitForAsync(run.Id, RunStatus.Failed, RunStatus.Completed);

        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.StartsWith("Training diverged", failed.ErrorMessage);
        Assert.Contains("lower the learning rate", failed.ErrorMessage);
        var losses = await _client.GetFromJsonAsync<List<BatchPoint>>($"/api/runs/{run.Id}/batch-losses", ApiClient.Json);
        Assert.All(losses!, p => Assert.True(double.IsFinite(p.Loss), $"step {p.Step}: {p.Loss}"));
        Assert.All(failed.Epochs!, e => Assert.True(double.IsFinite(e.TrainLoss) && double.IsFinite(e.ValidationLoss ?? 0)));
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"/api/runs/{run.Id}/epochs.csv")).StatusCode);
    }

    private async Task WaitForStepsAsync(int runId, int steps)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await _client.GetFromJsonAsync<List<BatchPoint>>($"/api/runs/{runId}/batch-losses", ApiClient.Json))!.Count < steps)
        {
            Assert.True(DateTime.UtcNow < deadline, $"run {runId} made fewer than {steps} steps in 60 s");
            await Task.Delay(50);
        }
    }
}
