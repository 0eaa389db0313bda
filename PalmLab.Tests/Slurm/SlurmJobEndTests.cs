using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalmLab.Tests.Web;
using PalmLab.Tests.Web.Components;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Tests.Slurm;

/// <summary>News of a Slurm job's end applies to its run only while that job is still the run's.</summary>
public sealed class SlurmJobEndTests : RunPagesTestBase
{
    [Fact]
    public async Task FinishAsync_ForAnOldJobOfAResumedRun_LeavesTheRunRunning()
    {
        var run = RunListSeed.NewRun(Seed.NewDataSet("demo"), "resumed", 1, RunStatus.Running);
        run.Executor = RunExecutors.Slurm;
        run.JobId = "96";
        await Seed.AddAsync(run);
        var recorder = Services.GetRequiredService<RunRecorder>();

        var staleEnded = await recorder.FinishAsync(run.Id, RunStatus.Cancelled, "Slurm job 95 was cancelled in Slurm (CANCELLED).", jobId: "95");

        Assert.False(staleEnded);
        Assert.Equal(RunStatus.Running, await StatusAsync(run.Id));
        Assert.True(await recorder.FinishAsync(run.Id, RunStatus.Cancelled, "Slurm job 96 was cancelled in Slurm (CANCELLED).", jobId: "96"));
        Assert.Equal(RunStatus.Cancelled, await StatusAsync(run.Id));
    }

    private async Task<RunStatus> StatusAsync(int runId)
    {
        await using var db = await Seed.Factory.CreateDbContextAsync();
        return await db.Runs.Where(r => r.Id == runId).Select(r => r.Status).SingleAsync();
    }
}
