using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using PalmLab.Tests.Support;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Tests.Web;

/// <summary>The dashboard killed mid-run and started again, on SQLite and on PostgreSQL.</summary>
public abstract class CrashRecoveryTests(DatabaseKind database)
{
    public sealed class Sqlite() : CrashRecoveryTests(DatabaseKind.Sqlite);

    public sealed class Postgres() : CrashRecoveryTests(DatabaseKind.Postgres);

    [Fact]
    public async Task KilledMidEpoch_RestartMarksInterrupted_ResumeCompletesWithContinuousHistory()
    {
        using var temp = new TempDir();
        using var postgres = database == DatabaseKind.Postgres ? new PostgresDatabase() : null;
        TestImages.WriteTrainingFolder(Path.Combine(temp.Sub("datasets"), "crash", "PALM-Training400"), normal: 25, high: 5, pathologic: 30, size: 96);
        var settings = new Dictionary<string, string>
        {
            ["DatabasePath"] = temp.File("palmlab.db"),
            ["CheckpointsDir"] = temp.Sub("checkpoints"),
            ["DataSetsDir"] = Path.Combine(temp.Path, "datasets"),
            ["Device"] = "cpu",
            ["Threads"] = "1",
        };
        if (postgres is not null)
        {
            settings["ConnectionString"] = postgres.ConnectionString;
        }
        // 60 images, holdout 0.2 -> 48 training images in batches of 4: 12 steps per epoch, 48 in all.
        var request = new { dataSet = "crash", preset = "quick", imageSize = 96, batchSize = 4, epochs = 4 };
        const int stepsPerEpoch = 12;

        int runId;
        var samples = new List<(TimeSpan At, long MaxStep)>();
        var clock = Stopwatch.StartNew();
        TimeSpan killedAt;
        using (var first = await WebProcess.StartAsync(settings))
        {
            using var client = new HttpClient { BaseAddress = first.Address };
            runId = (await client.QueueAsync(request)).Id;
            while (true)
            {
                var points = (await client.GetFromJsonAsync<List<BatchPoint>>($"/api/runs/{runId}/batch-losses", ApiClient.Json))!;
                var maxStep = points.Count == 0 ? 0 : points[^1].Step;
                samples.Add((clock.Elapsed, maxStep));
                if (maxStep >= stepsPerEpoch + 5)
                {
                    break; // in the middle of epoch 2
                }
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), $"no progress:\n{first.Output}");
                await Task.Delay(50);
            }
            first.KillHard();
            killedAt = clock.Elapsed;
        }

        using var second = await WebProcess.StartAsync(settings);
        using var api = new HttpClient { BaseAddress = second.Address };
        var interrupted = await api.GetRunAsync(runId);
        Assert.Equal(RunStatus.Interrupted, interrupted.Status);
        Assert.Contains("resume it", interrupted.ErrorMessage);
        var finishedEpochs = interrupted.Epochs!.Select(e => e.Epoch).ToList();
        Assert.Equal(Enumerable.Range(1, finishedEpochs.Count), finishedEpochs);
        Assert.InRange(finishedEpochs.Count, 1, 2);
        var stored = (await api.GetFromJsonAsync<List<BatchPoint>>($"/api/runs/{runId}/batch-losses", ApiClient.Json))!;
        // The writer commits every half second; on a busy 2-core machine (CI shares it) a commit can wait its turn for
        // well over a second, so only points seen 3 s before the kill must have been stored.
        var mustHave = samples.Where(s => s.At <= killedAt - TimeSpan.FromSeconds(3)).Select(s => s.MaxStep).DefaultIfEmpty(0).Max();
        Assert.True(stored.Count > 0 && stored[^1].Step >= mustHave,
            $"after the kill the database holds steps up to {(stored.Count == 0 ? 0 : stored[^1].Step)}, but step {mustHave} was reported more than 3 s before it");
        Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => (long)i), stored.Select(p => p.Step));

        var resume = await api.PostAsync($"/api/runs/{runId}/resume", null);
        Assert.Equal(HttpStatusCode.NoContent, resume.StatusCode);
        var done = await api.WaitForAsync(runId, RunStatus.Completed, RunStatus.Failed);

        Assert.True(done.Status == RunStatus.Completed, done.ErrorMessage + "\n" + second.Output);
        Assert.Equal([1, 2, 3, 4], done.Epochs!.Select(e => e.Epoch));
        var curve = (await api.GetFromJsonAsync<List<BatchPoint>>($"/api/runs/{runId}/batch-losses", ApiClient.Json))!;
        Assert.Equal(Enumerable.Range(1, 4 * stepsPerEpoch).Select(i => (long)i), curve.Select(p => p.Step));
        Assert.Equal(interrupted.Epochs![0].TrainLoss, done.Epochs![0].TrainLoss);
    }
}
