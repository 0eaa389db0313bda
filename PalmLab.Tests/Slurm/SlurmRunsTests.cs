using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using PalmLab.Tests.Support;
using PalmLab.Tests.Web;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Tests.Slurm;

/// <summary>Runs trained as real Slurm jobs on the single-node test cluster, reporting to a real dashboard on loopback.</summary>
[Collection(SlurmCollection.Name)]
public sealed class SlurmRunsTests
{
    private static readonly TimeSpan JobDeadline = TimeSpan.FromMinutes(4);

    // 16 training images (a fifth of 20 held out) in batches of 4: 4 steps an epoch.
    private static object TinyRun(int epochs) => new { dataSet = "tiny", preset = "quick", depth = 18, imageSize = 32, batchSize = 4, epochs };

    [Fact]
    public async Task ThreeRuns_TrainAsSlurmJobs_StreamLivePointsAndStoreTheirMetricsInPostgres()
    {
        using var dashboard = new SlurmDashboard(sharedCheckpoints: true, postgres: true);
        dashboard.Start();
        var points = new ConcurrentDictionary<int, ConcurrentBag<long>>();
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(dashboard.Address, "hubs/runs")).Build();
        hub.On<JsonElement>("batchLosses", m => points.GetOrAdd(m.GetProperty("runId").GetInt32(), _ => []).Add(m.GetProperty("points").EnumerateArray().Count()));
        await hub.StartAsync();
        var runs = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var run = await dashboard.Client.QueueAsync(TinyRun(epochs: 3));
            await hub.InvokeAsync("JoinRun", run.Id);
            runs.Add(run.Id);
        }

        var finished = new List<PalmLab.Web.Api.RunDto>();
        foreach (var id in runs)
        {
            finished.Add(await WaitForEndAsync(dashboard, id));
        }

        // A job reports its run's end, then exits: Slurm logs it as completed a moment after the run is.
        var completed = "";
        await Wait.UntilAsync(
            () => finished.All(r => (completed = TestCluster.Slurm("sacct", "-c", "-n", "-P", "-o", "jobid,jobname,state")).Contains($"{r.Job!.JobId}|palmlab-run-{r.Id}|")),
            "sacct -c does not list every job", JobDeadline);
        foreach (var run in finished)
        {
            Assert.True(run.Status == RunStatus.Completed, $"run {run.Id} ended {run.Status}: {run.ErrorMessage}\n{dashboard.JobOutput(run.Id)}");
            Assert.Equal("slurm", run.Executor);
            Assert.Contains($"{run.Job!.JobId}|palmlab-run-{run.Id}|COMPLETED", completed);
            Assert.Equal(3, run.Epochs!.Count);
            Assert.All(run.Epochs, e => Assert.NotNull(e.Validation));
            Assert.Equal(2, run.Checkpoints!.Count);
            var steps = (await dashboard.Client.GetFromJsonAsync<List<BatchPoint>>($"/api/runs/{run.Id}/batch-losses", ApiClient.Json))!.Select(p => p.Step);
            Assert.Equal(Enumerable.Range(1, 12).Select(s => (long)s), steps);
            Assert.True(points.TryGetValue(run.Id, out var live) && live.Sum() > 0, $"no live batch losses reached the hub for run {run.Id}");
        }
        Assert.Equal(3, runs.Select(id => finished.Single(r => r.Id == id).Job!.JobId).Distinct().Count());
        Assert.Equal(36, await dashboard.CountPostgresRowsAsync("BatchLosses"));
        Assert.Equal(9, await dashboard.CountPostgresRowsAsync("EpochMetrics"));
    }

    [Fact]
    public async Task Scancel_WhileTheJobTrains_EndsTheRunCancelledWithSlurmsReason()
    {
        using var dashboard = new SlurmDashboard(sharedCheckpoints: true);
        dashboard.Start();
        var run = await dashboard.Client.QueueAsync(TinyRun(epochs: 200));
        var jobId = await WaitForBatchesAsync(dashboard, run.Id);

        TestCluster.Slurm("scancel", jobId);

        var ended = await WaitForEndAsync(dashboard, run.Id);
        Assert.Equal(RunStatus.Cancelled, ended.Status);
        Assert.Contains($"Slurm job {jobId} was cancelled in Slurm", ended.ErrorMessage);
    }

    [Fact]
    public async Task TimeLimitReached_EndsTheRunInterruptedWithSlurmsReason()
    {
        using var dashboard = new SlurmDashboard(sharedCheckpoints: true);
        dashboard.Start();
        var run = await dashboard.Client.QueueAsync(new { dataSet = "tiny", preset = "quick", depth = 18, imageSize = 32, batchSize = 4, epochs = 1000, slurm = new { timeLimit = "1" } });
        var jobId = await WaitForBatchesAsync(dashboard, run.Id);

        // The run's limit reached the job; rather than wait out its minute (and up to 30 s more until the controller
        // looks), the test moves the job's end closer, as an administrator can: Slurm itself still times it out. Not to
        // "now": scontrol reads the clock, the controller refuses an end before its own now, and on a busy machine the
        // request arrived a second late ("Invalid time specified", CI 2026-12-08).
        Assert.Contains("TimeLimit=00:01:00", TestCluster.Slurm("scontrol", "show", "job", jobId));
        TestCluster.Slurm("scontrol", "update", $"JobId={jobId}", "EndTime=now+10");
        var ended = await WaitForEndAsync(dashboard, run.Id);

        Assert.Equal(RunStatus.Interrupted, ended.Status);
        Assert.Contains($"Slurm job {jobId} reached its time limit (TIMEOUT", ended.ErrorMessage);
    }

    [Fact]
    public async Task CancelInTheDashboard_RunsScancel_AndResumeContinuesFromTheLastCheckpointInANewJob()
    {
        using var dashboard = new SlurmDashboard(sharedCheckpoints: false);
        dashboard.Start();
        var run = await dashboard.Client.QueueAsync(TinyRun(epochs: 8));
        var jobId = await WaitForEpochsAsync(dashboard, run.Id, 2);

        var cancel = await dashboard.Client.PostAsync($"/api/runs/{run.Id}/cancel", null);
        Assert.True(cancel.IsSuccessStatusCode, await cancel.Content.ReadAsStringAsync());
        var cancelled = await dashboard.Client.GetRunAsync(run.Id);
        Assert.Equal(RunStatus.Cancelled, cancelled.Status);
        Assert.Contains($"scancel {jobId}", cancelled.ErrorMessage);
        await Wait.UntilAsync(() => TestCluster.Slurm("squeue", "-h", "-t", "all", "-o", "%i %T", "-j", jobId).Contains("CANCELLED"),
            $"Slurm does not list job {jobId} as CANCELLED", JobDeadline);

        var resume = await dashboard.Client.PostAsync($"/api/runs/{run.Id}/resume", null);
        Assert.True(resume.IsSuccessStatusCode, await resume.Content.ReadAsStringAsync());
        var resumed = await WaitForEndAsync(dashboard, run.Id);

        Assert.True(resumed.Status == RunStatus.Completed, $"the resumed run ended {resumed.Status}: {resumed.ErrorMessage}\n{dashboard.JobOutput(run.Id)}");
        Assert.NotEqual(jobId, resumed.Job!.JobId);
        Assert.Equal(Enumerable.Range(1, 8), resumed.Epochs!.Select(e => e.Epoch));
        var steps = (await dashboard.Client.GetFromJsonAsync<List<BatchPoint>>($"/api/runs/{run.Id}/batch-losses", ApiClient.Json))!.Select(p => p.Step);
        Assert.Equal(Enumerable.Range(1, 32).Select(s => (long)s), steps);
        Assert.Contains("continue", dashboard.JobOutput(run.Id), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task DashboardKilledWhileAJobTrains_AfterARestartEveryReportIsAcceptedOnce()
    {
        using var dashboard = new SlurmDashboard(sharedCheckpoints: false);
        int runId;
        string jobId;
        using (var first = await dashboard.StartProcessAsync())
        {
            runId = (await dashboard.Client.QueueAsync(TinyRun(epochs: 12))).Id;
            jobId = await WaitForEpochsAsync(dashboard, runId, 1);
            first.KillHard();
        }
        // The job trains on with nobody to report to; its reports wait.
        await Wait.UntilAsync(() => dashboard.JobOutput(runId).Contains("cannot be reached"), $"job {jobId} never noticed that the dashboard was gone", JobDeadline);
        await Task.Delay(TimeSpan.FromSeconds(3));

        using var second = await dashboard.StartProcessAsync();
        var ended = await WaitForEndAsync(dashboard, runId);

        Assert.True(ended.Status == RunStatus.Completed, $"run {runId} ended {ended.Status}: {ended.ErrorMessage}\n{dashboard.JobOutput(runId)}\n{second.Output}");
        Assert.Equal(jobId, ended.Job!.JobId);
        Assert.Equal(Enumerable.Range(1, 12), ended.Epochs!.Select(e => e.Epoch));
        var steps = (await dashboard.Client.GetFromJsonAsync<List<BatchPoint>>($"/api/runs/{runId}/batch-losses", ApiClient.Json))!.Select(p => p.Step);
        Assert.Equal(Enumerable.Range(1, 48).Select(s => (long)s), steps);
        Assert.Contains("reachable again", dashboard.JobOutput(runId));
    }

    private static async Task<PalmLab.Web.Api.RunDto> WaitForEndAsync(SlurmDashboard dashboard, int runId)
    {
        PalmLab.Web.Api.RunDto? run = null;
        await Wait.UntilAsync(async () =>
        {
            run = await dashboard.Client.GetRunAsync(runId);
            return run.Status is not (RunStatus.Queued or RunStatus.Running);
        }, $"run {runId} did not end as a Slurm job", JobDeadline);
        return run!;
    }

    private static async Task<string> WaitForBatchesAsync(SlurmDashboard dashboard, int runId)
    {
        await Wait.UntilAsync(async () => (await dashboard.Client.GetFromJsonAsync<List<BatchPoint>>($"/api/runs/{runId}/batch-losses", ApiClient.Json))!.Count > 0,
            $"run {runId}'s job reported no batch", JobDeadline);
        return (await dashboard.Client.GetRunAsync(runId)).Job!.JobId!;
    }

    private static async Task<string> WaitForEpochsAsync(SlurmDashboard dashboard, int runId, int epochs)
    {
        PalmLab.Web.Api.RunDto? run = null;
        await Wait.UntilAsync(async () => (run = await dashboard.Client.GetRunAsync(runId)).Epochs!.Count >= epochs,
            $"run {runId}'s job reported fewer than {epochs} epochs", JobDeadline);
        Assert.Equal(RunStatus.Running, run!.Status);
        return run.Job!.JobId!;
    }
}
