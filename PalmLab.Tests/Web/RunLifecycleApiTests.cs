using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using PalmLab.Engine.Training;
using PalmLab.Tests.Support;
using PalmLab.Web.Data;

namespace PalmLab.Tests.Web;

/// <summary>
/// A run's status changes race-free through the real API (one conditional update each), and a run's checkpoints are
/// provably its own: on SQLite and on PostgreSQL.
/// </summary>
public abstract class RunLifecycleApiTests : IDisposable
{
    private readonly DatabaseKind _database;
    private readonly PalmLabAppFactory _app;
    private readonly HttpClient _client;

    protected RunLifecycleApiTests(DatabaseKind database)
    {
        _database = database;
        _app = new PalmLabAppFactory(database: database);
        _client = _app.CreateClient();
    }

    public sealed class Sqlite() : RunLifecycleApiTests(DatabaseKind.Sqlite);

    public sealed class Postgres() : RunLifecycleApiTests(DatabaseKind.Postgres);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Resume_FiveAtOnce_ExactlyOneWinsAndCancelAndDeleteSeeItTraining()
    {
        var run = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 200));
        await WaitForEpochsAsync(_client, run.Id, 1);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsync($"/api/runs/{run.Id}/cancel", null)).StatusCode);
        await _client.WaitForAsync(run.Id, RunStatus.Cancelled);

        // Several rounds, each released at once through one gate: a race that lets two resumes in shows up in one of them.
        for (var round = 1; round <= 3; round++)
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var resumes = Enumerable.Range(0, 5).Select(async _ =>
            {
                await gate.Task;
                return await _client.PostAsync($"/api/runs/{run.Id}/resume", null);
            }).ToList();
            gate.SetResult();
            var answers = await Task.WhenAll(resumes);

            var codes = answers.Select(a => a.StatusCode).ToList();
            Assert.True(codes.Count(c => c == HttpStatusCode.NoContent) == 1 && codes.Count(c => c == HttpStatusCode.Conflict) == 4,
                $"round {round}: {string.Join(", ", codes.Select(c => (int)c))}");
            foreach (var refused in answers.Where(a => a.StatusCode == HttpStatusCode.Conflict))
            {
                await refused.AssertProblemAsync(HttpStatusCode.Conflict, "a concurrent resume");
            }

            // Training again: a DELETE is refused, and a cancel stops the training itself (never "cancelled before it started").
            await _client.WaitForAsync(run.Id, RunStatus.Running);
            var delete = await _client.DeleteAsync($"/api/runs/{run.Id}");
            await delete.AssertProblemAsync(HttpStatusCode.Conflict, "a delete while it trains");
            Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsync($"/api/runs/{run.Id}/cancel", null)).StatusCode);
            var ended = await _client.WaitForAsync(run.Id, RunStatus.Cancelled, RunStatus.Completed, RunStatus.Failed);
            Assert.True(ended.Status == RunStatus.Cancelled, $"round {round}: the run ended {ended.Status} ({ended.ErrorMessage})");
            Assert.Equal(RunStatus.Cancelled, (await _client.GetRunAsync(run.Id)).Status);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/api/runs/{run.Id}")).StatusCode);
        Assert.False(Directory.Exists(Path.Combine(_app.CheckpointsDir, $"run-{run.Id}")));
    }

    [Fact]
    public async Task Delete_QueuedRunRacingTheWorker_EitherDeletesItBeforeTheClaimOrRefuses()
    {
        // Many attempts: each queued run is deleted while the worker may be claiming it; it is never deleted under it.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var run = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 200));
            var delete = await _client.DeleteAsync($"/api/runs/{run.Id}");
            if (delete.StatusCode == HttpStatusCode.NoContent)
            {
                Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/runs/{run.Id}")).StatusCode);
                continue;
            }
            await delete.AssertProblemAsync(HttpStatusCode.Conflict, "a delete of a claimed run");
            Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsync($"/api/runs/{run.Id}/cancel", null)).StatusCode);
            var ended = await _client.WaitForAsync(run.Id, RunStatus.Cancelled, RunStatus.Completed, RunStatus.Failed);
            Assert.True(ended.Status == RunStatus.Cancelled, $"attempt {attempt}: the run ended {ended.Status} ({ended.ErrorMessage})");
        }
    }

    [Fact]
    public async Task NewDatabase_SameCheckpointsFolder_NewRunsNeverAdoptResumeFromOrDeleteTheOldRunsFiles()
    {
        // The first database's runs 1 and 2 each leave a checkpoint.
        var oldRuns = new[] { await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 1)), await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 1)) };
        foreach (var run in oldRuns)
        {
            await _client.WaitForAsync(run.Id, RunStatus.Completed);
        }
        var oldLast = Path.Combine(_app.CheckpointsDir, $"run-{oldRuns[1].Id}", Trainer.LastCheckpointName);
        var oldHash = Hash(oldLast);
        var oldUid = Checkpoint.ReadHeader(oldLast).RunUid;
        Assert.NotNull(oldUid);

        // A new database (deleted and recreated, or another server) on the same checkpoints folder: ids start again.
        using var second = new PalmLabAppFactory(database: _database, settings: new() { ["CheckpointsDir"] = _app.CheckpointsDir });
        var client = second.CreateClient();
        var blocker = await client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 200));
        var victim = await client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 1));
        Assert.Equal(oldRuns.Select(r => r.Id), [blocker.Id, victim.Id]);
        await client.WaitForAsync(blocker.Id, RunStatus.Running);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/runs/{victim.Id}/cancel", null)).StatusCode);

        // The old run's folder was moved aside at start-up, whole; the new run with its number cannot resume from it.
        var orphan = Path.Combine(_app.CheckpointsDir, $"orphaned-run-{victim.Id}-{oldUid:N}");
        Assert.Equal(oldHash, Hash(Path.Combine(orphan, Trainer.LastCheckpointName)));
        var resume = await client.PostAsync($"/api/runs/{victim.Id}/resume", null);
        var problem = await resume.AssertProblemAsync(HttpStatusCode.Conflict, "a resume of a run without a checkpoint of its own");
        Assert.Contains("no checkpoint", problem.Detail);

        // Deleting the new run leaves the old run's files alone.
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/runs/{victim.Id}")).StatusCode);
        Assert.Equal(oldHash, Hash(Path.Combine(orphan, Trainer.LastCheckpointName)));
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/runs/{blocker.Id}/cancel", null)).StatusCode);
        await client.WaitForAsync(blocker.Id, RunStatus.Cancelled, RunStatus.Completed, RunStatus.Failed);
    }

    [Fact]
    public async Task CheckpointOfAnotherRun_InTheRunsFolder_IsNeverResumedFromOrServed()
    {
        var first = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 1));
        var second = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 1));
        await _client.WaitForAsync(first.Id, RunStatus.Completed);
        await _client.WaitForAsync(second.Id, RunStatus.Completed);
        var third = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 200));
        await WaitForEpochsAsync(_client, third.Id, 1);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsync($"/api/runs/{third.Id}/cancel", null)).StatusCode);
        await _client.WaitForAsync(third.Id, RunStatus.Cancelled);

        // The second run's checkpoint file is replaced by the first's (same options, another identity).
        var folder = Path.Combine(_app.CheckpointsDir, $"run-{second.Id}");
        File.Copy(Path.Combine(_app.CheckpointsDir, $"run-{first.Id}", Trainer.BestCheckpointName), Path.Combine(folder, Trainer.BestCheckpointName), overwrite: true);
        var download = await _client.GetAsync($"/api/runs/{second.Id}/checkpoints/best");
        await download.AssertProblemAsync(HttpStatusCode.Conflict, "a download of another run's checkpoint");
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"/api/runs/{first.Id}/checkpoints/best")).StatusCode);

        // A cancelled run whose last checkpoint is another run's is not resumed from it.
        var thirdFolder = Path.Combine(_app.CheckpointsDir, $"run-{third.Id}");
        File.Copy(Path.Combine(_app.CheckpointsDir, $"run-{first.Id}", Trainer.LastCheckpointName), Path.Combine(thirdFolder, Trainer.LastCheckpointName), overwrite: true);
        var resume = await _client.PostAsync($"/api/runs/{third.Id}/resume", null);
        var problem = await resume.AssertProblemAsync(HttpStatusCode.Conflict, "a resume from another run's checkpoint");
        Assert.Contains("another run", problem.Detail);

        // The prediction page offers only checkpoints that are their run's own.
        await using var scope = _app.Services.CreateAsyncScope();
        var choices = await scope.ServiceProvider.GetRequiredService<PalmLab.Web.Predictions.PredictionService>().ListCheckpointsAsync(CancellationToken.None);
        Assert.DoesNotContain(choices, c => c.RunId == second.Id && c.Kind == CheckpointKind.Best);
        Assert.Contains(choices, c => c.RunId == first.Id && c.Kind == CheckpointKind.Best);
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    private static async Task WaitForEpochsAsync(HttpClient client, int runId, int epochs) =>
        await Wait.UntilAsync(async () => (await client.GetRunAsync(runId)).Epochs!.Count >= epochs,
            $"run {runId} did not record {epochs} epoch(s)", TimeSpan.FromSeconds(120));
}
