using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using PalmLab.Tests.Support;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Tests.Web;

/// <summary>The dashboard killed mid-run and started again, on SQLite and on PostgreSQL.</summary>
public abstract class CrashRecoveryTests(DatabaseKind database) : IDisposable
{
    // 60 images, holdout 0.2 -> 48 training images in batches of 4: 12 steps per epoch, 48 in all.
    private const int StepsPerEpoch = 12;
    private static readonly object Request = new { dataSet = "crash", preset = "quick", imageSize = 96, batchSize = 4, epochs = 4 };

    private readonly TempDir _temp = new();
    private readonly PostgresDatabase? _postgres = database == DatabaseKind.Postgres ? new PostgresDatabase() : null;
    private readonly List<int> _children = [];

    public sealed class Sqlite() : CrashRecoveryTests(DatabaseKind.Sqlite);

    public sealed class Postgres() : CrashRecoveryTests(DatabaseKind.Postgres);

    public void Dispose()
    {
        // A test that failed may leave a child the dashboard was killed without.
        foreach (var pid in _children)
        {
            TrainingChild.Kill(pid);
        }
        _postgres?.Dispose();
        _temp.Dispose();
    }

    private Dictionary<string, string> Settings()
    {
        TestImages.WriteTrainingFolder(Path.Combine(_temp.Sub("datasets"), "crash", "PALM-Training400"), normal: 25, high: 5, pathologic: 30, size: 96);
        var settings = new Dictionary<string, string>
        {
            ["DatabasePath"] = _temp.File("palmlab.db"),
            ["CheckpointsDir"] = _temp.Sub("checkpoints"),
            ["DataSetsDir"] = Path.Combine(_temp.Path, "datasets"),
            ["Device"] = "cpu",
            ["Threads"] = "1",
        };
        if (_postgres is not null)
        {
            settings["ConnectionString"] = _postgres.ConnectionString;
        }
        return settings;
    }

    [Fact]
    public async Task DashboardKilledMidEpoch_RestartOnTheSamePort_AdoptsItsChildAndTheRunCompletesWithEveryStepOnce()
    {
        var settings = Settings();
        int runId;
        int port;
        using (var first = await WebProcess.StartAsync(settings))
        {
            port = first.Address.Port;
            using var client = new HttpClient { BaseAddress = first.Address };
            runId = (await client.QueueAsync(Request)).Id;
            await Wait.UntilAsync(async () => await LastStepAsync(client, runId) >= StepsPerEpoch + 5,
                $"run {runId} did not reach the middle of epoch 2", TimeSpan.FromSeconds(120));
            _children.Add(TrainingChild.Pid(settings["CheckpointsDir"], runId));
            first.KillAlone();
        }
        var child = _children[0];
        Assert.True(TrainingChild.IsAlive(child), $"training process {child} died with the dashboard:\n{TrainingChild.Output(settings["CheckpointsDir"], runId)}");

        using var second = await WebProcess.StartAsync(settings, port);
        using var api = new HttpClient { BaseAddress = second.Address };
        var done = await api.WaitForAsync(runId, RunStatus.Completed, RunStatus.Failed, RunStatus.Interrupted, RunStatus.Cancelled);

        Assert.True(done.Status == RunStatus.Completed, $"{done.Status}: {done.ErrorMessage}\n{second.Output}\n{TrainingChild.Output(settings["CheckpointsDir"], runId)}");
        Assert.Equal([1, 2, 3, 4], done.Epochs!.Select(e => e.Epoch));
        var curve = (await api.GetFromJsonAsync<List<BatchPoint>>($"/api/runs/{runId}/batch-losses", ApiClient.Json))!;
        Assert.Equal(Enumerable.Range(1, 4 * StepsPerEpoch).Select(i => (long)i), curve.Select(p => p.Step));
        await Wait.UntilAsync(() => !TrainingChild.IsAlive(child), $"training process {child} still runs after its run completed");
    }

    private static async Task<long> LastStepAsync(HttpClient client, int runId)
    {
        var points = (await client.GetFromJsonAsync<List<BatchPoint>>($"/api/runs/{runId}/batch-losses", ApiClient.Json))!;
        return points.Count == 0 ? 0 : points[^1].Step;
    }

    [Fact]
    public async Task DashboardAndChildKilledMidEpoch_RestartMarksInterrupted_ResumeCompletesWithContinuousHistory()
    {
        var settings = Settings();
        var request = Request;
        const int stepsPerEpoch = StepsPerEpoch;

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
            // The dashboard and its training child: as when the machine loses power.
            _children.Add(TrainingChild.Pid(settings["CheckpointsDir"], runId));
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
        // A point the API showed is stored; the check keeps the margin it had when a writer committed every half second.
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
