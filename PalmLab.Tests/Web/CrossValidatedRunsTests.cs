using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalmLab.Tests.Support;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Tests.Web;

/// <summary>Cross-validated runs through the real app: queued by the API, trained fold after fold, read back, resumed.</summary>
public abstract class CrossValidatedRunsTests : IDisposable
{
    private readonly PalmLabAppFactory _app;
    private readonly HttpClient _client;

    protected CrossValidatedRunsTests(DatabaseKind database)
    {
        _app = new PalmLabAppFactory(database: database);
        // 6 images that are not pathologic and 3 that are: at most 3 folds.
        TestImages.WriteTrainingFolder(Path.Combine(_app.DataSetsDir, "lopsided", "PALM-Training400"), normal: 6, high: 0, pathologic: 3, size: 32);
        _client = _app.CreateClient();
    }

    public sealed class Sqlite() : CrossValidatedRunsTests(DatabaseKind.Sqlite);

    public sealed class Postgres() : CrossValidatedRunsTests(DatabaseKind.Postgres);

    public void Dispose() => _app.Dispose();

    // "tiny": 10 images of each class; 2 folds -> 10 training images each, batches of 4 -> 3 steps per epoch.
    private static object TinyCrossValidation(int epochs = 2) =>
        new { dataSet = "tiny", preset = "quick", depth = 18, imageSize = 32, batchSize = 4, epochs, folds = 2 };

    [Fact]
    public async Task PostRun_TwoFolds_TrainsBothFoldsAndSummarisesThemWithMeanAndSampleStd()
    {
        var queued = await _client.QueueAsync(TinyCrossValidation());
        var run = await _client.WaitForAsync(queued.Id, RunStatus.Completed, RunStatus.Failed);

        Assert.True(run.Status == RunStatus.Completed, run.ErrorMessage);
        Assert.Equal(2, run.Folds);
        Assert.Empty(run.Epochs!);
        Assert.Equal([1, 2], run.FoldEpochs!.Select(f => f.Fold));
        Assert.All(run.FoldEpochs!, f => Assert.Equal([1, 2], f.Epochs.Select(e => e.Epoch)));
        Assert.All(run.FoldEpochs!.SelectMany(f => f.Epochs), e => Assert.Equal(10, e.Validation!.Count));

        // The summary is the mean and sample standard deviation of the stored fold rows, computed here by hand.
        var cv = run.CrossValidation!;
        Assert.Equal((2, 2), (cv.Folds, cv.FoldsFinished));
        Assert.Equal([1, 2], cv.Epochs.Select(e => e.Epoch));
        foreach (var (name, value) in new (string, Func<PalmLab.Engine.Training.EpochResult, double?>)[]
                 { ("accuracy", e => e.Validation!.Accuracy), ("val_loss", e => e.ValidationLoss), ("train_loss", e => e.TrainLoss) })
        {
            var (a, b) = (value(run.FoldEpochs![0].Epochs[^1])!.Value, value(run.FoldEpochs[1].Epochs[^1])!.Value);
            var summary = cv.Final!.Metrics[name]!;
            var tolerance = 1e-12 * Math.Max(1, Math.Abs(a) + Math.Abs(b));
            Assert.Equal((a + b) / 2, summary.Mean, tolerance);
            Assert.Equal(Math.Abs(a - b) / Math.Sqrt(2), summary.Std!.Value, tolerance);
            Assert.Equal(2, summary.Count);
        }

        // Each fold's best and last checkpoint, where the ensemble reads them.
        Assert.Equal(4, run.Checkpoints!.Count);
        foreach (var fold in new[] { 1, 2 })
        {
            foreach (var kind in new[] { "best", "last" })
            {
                Assert.True(File.Exists(Path.Combine(_app.CheckpointsDir, $"run-{run.Id}", $"fold-{fold}", $"{kind}.ckpt")), $"fold {fold} {kind}");
            }
            Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"/api/runs/{run.Id}/checkpoints/last?fold={fold}")).StatusCode);
        }
        var noFold = await _client.GetAsync($"/api/runs/{run.Id}/checkpoints/best");
        Assert.Contains("?fold=1", (await noFold.AssertProblemAsync(HttpStatusCode.BadRequest, "a fold checkpoint without ?fold")).Detail);

        // Steps run on across the folds; epochs start again in each.
        var curve = (await _client.GetFromJsonAsync<List<BatchPoint>>($"/api/runs/{run.Id}/batch-losses", ApiClient.Json))!;
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), curve.Select(p => p.Step));
        Assert.Equal([1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2], curve.Select(p => p.Fold!.Value));
        Assert.Equal([1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2], curve.Select(p => p.Epoch));

        var csv = (await _client.GetStringAsync($"/api/runs/{run.Id}/epochs.csv")).TrimEnd('\n').Split('\n');
        Assert.StartsWith("fold,epoch,train_loss,", csv[0]);
        Assert.Equal(["1,1", "1,2", "2,1", "2,2"], csv.Skip(1).Select(l => string.Join(',', l.Split(',').Take(2))));
        var fold2 = await _client.GetFromJsonAsync<List<PalmLab.Engine.Training.EpochResult>>($"/api/runs/{run.Id}/epochs?fold=2", ApiClient.Json);
        Assert.Equal(run.FoldEpochs![1].Epochs.Select(e => e.TrainLoss), fold2!.Select(e => e.TrainLoss));
    }

    [Fact]
    public async Task Resume_InterruptedInItsSecondFold_SkipsTheFinishedFoldAndKeepsItsRecord()
    {
        var queued = await _client.QueueAsync(TinyCrossValidation(epochs: 1));
        var finished = await _client.WaitForAsync(queued.Id, RunStatus.Completed, RunStatus.Failed);
        Assert.True(finished.Status == RunStatus.Completed, finished.ErrorMessage);
        // As if PalmLab had been killed during fold 2's first epoch: fold 2 has no checkpoint and no epoch yet.
        var runDir = Path.Combine(_app.CheckpointsDir, $"run-{queued.Id}");
        Directory.Delete(Path.Combine(runDir, "fold-2"), recursive: true);
        var fold1Last = Path.Combine(runDir, "fold-1", "last.ckpt");
        var fold1Written = File.GetLastWriteTimeUtc(fold1Last);
        var dbFactory = _app.Services.GetRequiredService<IDbContextFactory<PalmLabDbContext>>();
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            await db.EpochMetrics.Where(m => m.RunId == queued.Id && m.Fold == 2).ExecuteDeleteAsync();
            await db.Checkpoints.Where(c => c.RunId == queued.Id && c.Fold == 2).ExecuteDeleteAsync();
            await db.BatchLosses.Where(b => b.RunId == queued.Id && b.Fold == 2 && b.Step > 4).ExecuteDeleteAsync();
            await db.Runs.Where(r => r.Id == queued.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RunStatus.Interrupted));
        }

        var resume = await _client.PostAsync($"/api/runs/{queued.Id}/resume", null);
        Assert.Equal(HttpStatusCode.NoContent, resume.StatusCode);
        var done = await _client.WaitForAsync(queued.Id, RunStatus.Completed, RunStatus.Failed);

        Assert.True(done.Status == RunStatus.Completed, done.ErrorMessage);
        Assert.Equal(fold1Written, File.GetLastWriteTimeUtc(fold1Last));
        var (before, after) = (finished.FoldEpochs![0].Epochs[0], done.FoldEpochs![0].Epochs[0]);
        Assert.Equal((before.TrainLoss, before.Seconds, before.ImagesPerSecond), (after.TrainLoss, after.Seconds, after.ImagesPerSecond));
        Assert.Equal([1, 2], done.FoldEpochs!.Select(f => f.Fold));
        Assert.True(File.Exists(Path.Combine(runDir, "fold-2", "last.ckpt")));
        var curve = (await _client.GetFromJsonAsync<List<BatchPoint>>($"/api/runs/{queued.Id}/batch-losses", ApiClient.Json))!;
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), curve.Select(p => p.Step));
        Assert.Equal([1, 1, 1, 2, 2, 2], curve.Select(p => p.Fold!.Value));
    }

    [Fact]
    public async Task PostRun_MoreFoldsThanTheSmallestClass_RefusedWithAMessageNamingFolds()
    {
        var response = await _client.PostAsJsonAsync("/api/runs", new { dataSet = "lopsided", preset = "quick", imageSize = 32, batchSize = 2, folds = 4 });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "4 folds of 3 pathologic images");
        var errors = System.Text.Json.JsonSerializer.Deserialize<Microsoft.AspNetCore.Mvc.ValidationProblemDetails>(
            await response.Content.ReadAsStringAsync(), ApiClient.Json)!.Errors;
        var message = Assert.Single(errors["folds"]);
        Assert.Contains("3 pathologic", message);
        Assert.Contains("at most 3", message);
        Assert.NotNull(problem);
    }
}
