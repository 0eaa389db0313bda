using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PalmLab.Tests.Support;
using PalmLab.Tests.Web;
using PalmLab.Web.Api;
using PalmLab.Web.Data;
using PalmLab.Web.Slurm;

namespace PalmLab.Tests.Slurm;

/// <summary>
/// A run whose job cannot run says so and ends, rather than waiting for ever: a missing command, a request no node
/// can take, a partition sbatch refuses, a job Slurm keeps pending with a reason that never clears.
/// </summary>
[Collection(SlurmCollection.Name)]
public sealed class SlurmSubmissionTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    private static object TinyRun(object slurm) => new { dataSet = "tiny", preset = "quick", depth = 18, imageSize = 32, batchSize = 4, epochs = 1, slurm };

    [Fact]
    public async Task QueueRun_MoreCpusThanAnyNodeHas_RepliesWithTheExecutorAndResources_AndFailsSayingWhatTheNodesHave()
    {
        using var dashboard = new SlurmDashboard(sharedCheckpoints: true);
        dashboard.Start();

        var queued = await dashboard.Client.QueueAsync(TinyRun(new { cpus = 64 }));

        Assert.Equal(RunExecutors.Slurm, queued.Executor);
        Assert.NotNull(queued.Job);
        Assert.Equal(64, queued.Job.Resources.Cpus);
        Assert.Equal("1G", queued.Job.Resources.Memory); // the dashboard's default, filled in
        var ended = await WaitForEndAsync(dashboard, queued.Id);
        Assert.Equal(RunStatus.Failed, ended.Status);
        Assert.Contains("No Slurm node can run this job: it asks for 64 CPUs, but the nodes of partition debug have at most", ended.ErrorMessage);
        Assert.Null(ended.Job!.JobId);
        Assert.NotEqual("submitting", ended.Job.State);
    }

    [Fact]
    public async Task QueueRun_ToAPartitionSbatchRefuses_FailsWithSbatchsErrorAndLeavesNoSubmittingState()
    {
        using var dashboard = new SlurmDashboard(sharedCheckpoints: true);
        dashboard.Start();

        var queued = await dashboard.Client.QueueAsync(TinyRun(new { partition = "no-such-partition" }));

        var ended = await WaitForEndAsync(dashboard, queued.Id);
        Assert.Equal(RunStatus.Failed, ended.Status);
        Assert.Contains("Slurm refused the job", ended.ErrorMessage);
        Assert.Contains("partition", ended.ErrorMessage);
        Assert.Null(ended.Job!.JobId);
        Assert.Equal(PalmLab.Web.Executors.JobState.NotSubmitted.Text, ended.Job.State);
    }

    [Fact]
    public async Task QueueRun_CommandNotOnPath_FailsBeforeSubmittingAndSaysWhatToSet()
    {
        using var dashboard = new SlurmDashboard(sharedCheckpoints: true, overrides: new() { ["Slurm:Command"] = "palmlab-not-installed" });
        dashboard.Start();

        var queued = await dashboard.Client.QueueAsync(TinyRun(new { }));

        var ended = await WaitForEndAsync(dashboard, queued.Id);
        Assert.Equal(RunStatus.Failed, ended.Status);
        Assert.Contains("PalmLab:Slurm:Command is \"palmlab-not-installed\", and palmlab-not-installed is not on the dashboard's PATH", ended.ErrorMessage);
        Assert.Contains("palmlab.dll", ended.ErrorMessage);
        Assert.Null(ended.Job!.JobId);
    }

    [Fact]
    public async Task Poll_JobPendingForAReasonThatNeverClears_CancelsItAndFailsTheRunSayingWhatToChange()
    {
        using var app = new PalmLabAppFactory(settings: new()
        {
            ["Executor"] = "slurm",
            ["Slurm:Conf"] = TestCluster.SlurmConf,
            ["Slurm:PollSeconds"] = "3600", // this test polls itself
        });
        // Submitted behind the dashboard's back, so that no check of its own refuses it first.
        var jobId = TestCluster.Slurm("sbatch", "--parsable", "--cpus-per-task=64", "--job-name=palmlab-never", "--output=/dev/null", "--wrap", "sleep 1").Trim().Split(';')[0];
        await Wait.UntilAsync(() => TestCluster.Slurm("squeue", "-h", "-o", "%r", "-j", jobId).Contains("PartitionConfig"),
            $"Slurm did not keep job {jobId} pending for PartitionConfig", Deadline);
        var dbFactory = app.Services.GetRequiredService<IDbContextFactory<PalmLabDbContext>>();
        int runId;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var run = new Run
            {
                Name = "never",
                Status = RunStatus.Running,
                DataSetId = (await db.DataSets.SingleAsync(d => d.Name == "tiny")).Id,
                Executor = RunExecutors.Slurm,
                JobId = jobId,
                JobState = "PENDING",
                Slurm = new SlurmResources { Cpus = 64 },
                CreatedAt = DateTimeOffset.UtcNow,
            };
            db.Runs.Add(run);
            await db.SaveChangesAsync();
            runId = run.Id;
        }

        try
        {
            await app.Services.GetServices<IHostedService>().OfType<SlurmMonitor>().Single().PollAsync(CancellationToken.None);
        }
        finally
        {
            // Whatever the monitor did: a job that can never run must not stay in the shared cluster's queue.
            TestCluster.Slurm("scancel", jobId);
        }

        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId);
            Assert.Equal(RunStatus.Failed, run.Status);
            Assert.Contains($"Slurm job {jobId} can never start (PENDING (PartitionConfig)), so it was cancelled. It asks for 64 CPUs, but the nodes of partition debug have at most", run.ErrorMessage);
            Assert.Equal("CANCELLED", run.JobState);
        }
    }

    private static async Task<RunDto> WaitForEndAsync(SlurmDashboard dashboard, int runId)
    {
        RunDto? run = null;
        await Wait.UntilAsync(async () =>
        {
            run = await dashboard.Client.GetRunAsync(runId);
            return run.Status is not (RunStatus.Queued or RunStatus.Running);
        }, $"run {runId} did not end", Deadline);
        return run!;
    }
}
