using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using PalmLab.Tests.Support;
using PalmLab.Web.Api;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Tests.Web;

/// <summary>Two dashboards (real processes) sharing one PostgreSQL database, each training a run; one is killed and restarted, the other's run trains on.</summary>
public sealed class TwoDashboardsTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task OneKilledAndRestarted_OnlyItsOwnRunIsInterrupted_TheOthersRunTrainsOnUntouched()
    {
        using var temp = new TempDir();
        using var postgres = new PostgresDatabase();
        TestImages.WriteTrainingFolder(Path.Combine(temp.Sub("datasets"), "shared", "PALM-Training400"), normal: 25, high: 5, pathologic: 30, size: 64);
        // Folders of their own (so owners of their own) on one database; one run at a time each, so that while A trains
        // run 1, run 2 can only be B's.
        Dictionary<string, string> Settings(string name) => new()
        {
            ["ConnectionString"] = postgres.ConnectionString,
            ["DatabasePath"] = temp.File($"{name}.db"),
            ["CheckpointsDir"] = temp.Sub($"{name}-checkpoints"),
            ["DataSetsDir"] = Path.Combine(temp.Path, "datasets"),
            ["Device"] = "cpu",
            ["Threads"] = "1",
            ["MaxConcurrentRuns"] = "1",
        };
        // 60 images, holdout 0.2 -> 48 training images in batches of 4: 12 steps per epoch. Run 1 has more epochs than the
        // test waits for, so however fast or slow the machine, it is still training when B comes back; it is cancelled at the end.
        const int epochs = 1000;
        var request = new { dataSet = "shared", preset = "quick", imageSize = 64, batchSize = 4, epochs };
        var clock = Stopwatch.StartNew();

        using var a = await WebProcess.StartAsync(Settings("a"));
        using var apiA = new HttpClient { BaseAddress = a.Address };
        var ownerA = Owner(temp, "a");
        var first = (await apiA.QueueAsync(request)).Id;
        await UntilStepsAsync(apiA, first, a, 2);
        Assert.Equal((RunStatus.Running, ownerA), await StatusAndOwnerAsync(postgres, first));

        WebProcess? b = await WebProcess.StartAsync(Settings("b"));
        var ownerB = Owner(temp, "b");
        Assert.NotEqual(ownerA, ownerB);
        int stepsAtRestart;
        try
        {
            using (var apiB = new HttpClient { BaseAddress = b.Address })
            {
                var second = (await apiB.QueueAsync(request)).Id;
                await UntilStepsAsync(apiB, second, b, 2);
                Assert.Equal((RunStatus.Running, ownerB), await StatusAndOwnerAsync(postgres, second));
                // B and its training child, as when B's machine loses power (B alone would find its child alive and adopt it).
                b.KillHard();
                var killedAt = clock.Elapsed;
                b.Dispose();
                b = null;
                b = await WebProcess.StartAsync(Settings("b"));
                using var restartedB = new HttpClient { BaseAddress = b.Address };
                var restartedAt = clock.Elapsed;

                // B's start-up has run: its own run, whose training died with it, is Interrupted; A's run trains on, still A's.
                var lost = await restartedB.GetRunAsync(second);
                Assert.Equal((RunStatus.Interrupted, ownerB), (lost.Status, (await StatusAndOwnerAsync(postgres, second)).Owner));
                Assert.Contains("resume it", lost.ErrorMessage);
                Assert.True((RunStatus.Running, ownerA) == await StatusAndOwnerAsync(postgres, first),
                    $"run 1 (A's) is {await StatusAndOwnerAsync(postgres, first)} after B's restart (killed at {killedAt.TotalSeconds:0.0} s, healthy again at {restartedAt.TotalSeconds:0.0} s); A:\n{a.Output}");
                stepsAtRestart = (await BatchLossesAsync(apiA, first)).Count;
            }
        }
        finally
        {
            b?.Dispose();
        }

        // A keeps training run 1 after B's restart (steps go on from where they were), until its user cancels it.
        await UntilStepsAsync(apiA, first, a, stepsAtRestart + 3);
        using (var cancel = await apiA.PostAsync($"/api/runs/{first}/cancel", null))
        {
            Assert.True(cancel.IsSuccessStatusCode, $"cancelling run 1 answered {cancel.StatusCode}");
        }
        var done = await UntilEndedAsync(apiA, first);
        Assert.True(done.Status == RunStatus.Cancelled, $"run 1 ended {done.Status}: {done.ErrorMessage}\n{a.Output}");
        Assert.Equal((RunStatus.Cancelled, ownerA), await StatusAndOwnerAsync(postgres, first));
        var curve = await BatchLossesAsync(apiA, first);
        Assert.True(curve.Count >= stepsAtRestart + 3, $"run 1 recorded {curve.Count} steps, {stepsAtRestart} of them by B's restart");
        Assert.Equal(Enumerable.Range(1, curve.Count).Select(i => (long)i), curve.Select(p => p.Step));
        Assert.Equal(Enumerable.Range(1, done.Epochs!.Count), done.Epochs.Select(e => e.Epoch));
    }

    private static string Owner(TempDir temp, string name) =>
        File.ReadAllText(Path.Combine(temp.Path, $"{name}-checkpoints", ExecutorInstance.FileName)).Trim();

    private static async Task<(RunStatus Status, string? Owner)> StatusAndOwnerAsync(PostgresDatabase postgres, int runId)
    {
        var provider = DatabaseProvider.Choose(postgres.ConnectionString, "");
        await using var db = new PalmLabDbContextFactory(provider.Options(), provider).CreateDbContext();
        var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId);
        return (run.Status, run.Owner);
    }

    private static async Task<List<BatchPoint>> BatchLossesAsync(HttpClient api, int runId) =>
        (await api.GetFromJsonAsync<List<BatchPoint>>($"/api/runs/{runId}/batch-losses", ApiClient.Json))!;

    // Running, with at least STEPS steps recorded: a dashboard trains it.
    private static async Task UntilStepsAsync(HttpClient api, int runId, WebProcess dashboard, int steps)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var points = await BatchLossesAsync(api, runId);
            var run = await api.GetRunAsync(runId);
            Assert.True(run.Status is RunStatus.Queued or RunStatus.Running, $"run {runId} is {run.Status} ({run.ErrorMessage}):\n{dashboard.Output}");
            if (run.Status == RunStatus.Running && points.Count >= steps)
            {
                return;
            }
            Assert.True(clock.Elapsed < Deadline, $"run {runId} had {points.Count} of {steps} steps after {Deadline.TotalSeconds} s:\n{dashboard.Output}");
            await Task.Delay(100);
        }
    }

    private static async Task<RunDto> UntilEndedAsync(HttpClient api, int runId)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var run = await api.GetRunAsync(runId);
            if (run.Status is not (RunStatus.Queued or RunStatus.Running))
            {
                return run;
            }
            Assert.True(clock.Elapsed < Deadline, $"run {runId} is still {run.Status} after {Deadline.TotalSeconds} s");
            await Task.Delay(200);
        }
    }
}
