using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PalmLab.Engine;
using PalmLab.Web.Data;
using PalmLab.Web.Executors;
using PalmLab.Web.Options;
using PalmLab.Web.Runs;
using PalmLab.Web.Security;

namespace PalmLab.Web.Slurm;

/// <summary>
/// Hands a claimed run to Slurm: writes its batch script and a token valid for this run only, submits it with sbatch,
/// and records the job. The job then reports to the dashboard (JobsApi) and <see cref="SlurmMonitor"/> follows it.
/// </summary>
public sealed class SlurmExecutor(
    IDbContextFactory<PalmLabDbContext> dbFactory,
    IOptions<PalmLabOptions> options,
    RunPlanner planner,
    RunRecorder recorder,
    RunNotifier notifier,
    SlurmClient slurm,
    ILogger<SlurmExecutor> logger) : IRunExecutor
{
    public string Name => RunExecutors.Slurm;

    /// <summary>None: a run takes no slot here once its job is submitted; Slurm queues the jobs.</summary>
    public int Training => 0;

    public Task RunAsync(int runId, CancellationToken shutdown) => SubmitAsync(runId, shutdown);

    /// <summary>Its Running runs: their jobs go on without the dashboard, and <see cref="SlurmMonitor"/> follows them again.</summary>
    public async Task<IReadOnlyCollection<int>> RecoverAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs.Where(r => r.Status == RunStatus.Running && r.Executor == RunExecutors.Slurm).Select(r => r.Id).ToListAsync(cancellationToken);
    }

    public IReadOnlyDictionary<int, Task> FollowRecovered(CancellationToken shutdown) => new Dictionary<int, Task>();

    /// <summary>Cancels the run's job (scancel) and records its end; NotFound when it has no job running.</summary>
    public async Task<RunActionResult> EndAsync(int runId, RunStatus status, string? reason, CancellationToken cancellationToken)
    {
        string? jobId;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            jobId = await db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Running && r.Executor == RunExecutors.Slurm)
                .Select(r => r.JobId).SingleOrDefaultAsync(cancellationToken);
        }
        return jobId is null ? RunActionResult.NotFound
            : await EndAsync(runId, jobId, status, reason ?? $"Cancelled from the dashboard: Slurm job {jobId} was cancelled (scancel {jobId}).", cancellationToken);
    }

    public async Task SubmitAsync(int runId, CancellationToken cancellationToken)
    {
        try
        {
            var o = options.Value.Slurm;
            if (string.IsNullOrWhiteSpace(o.ServerUrl))
            {
                throw new PalmLabException("PalmLab:Slurm:ServerUrl is not set: the jobs need the dashboard's address as the nodes reach it.");
            }
            if (SlurmCommand.Problem(o.Command, Environment.GetEnvironmentVariable("PATH")) is { } commandProblem)
            {
                throw new PalmLabException(commandProblem);
            }
            await planner.StartAsync(runId, "slurm", cancellationToken);
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var run = await db.Runs.SingleAsync(r => r.Id == runId, cancellationToken);
            var resources = run.Slurm.Over(o);
            // sbatch takes a job that no node can ever run and leaves it pending for ever: refuse it here.
            if ((await slurm.PartitionLimitsAsync(resources.Partition, cancellationToken))?.Problem(resources) is { } tooBig)
            {
                throw new PalmLabException($"No Slurm node can run this job: it asks for {tooBig}. Clone the run with other Slurm resources (or change PalmLab:Slurm's defaults).");
            }
            var files = RunFolder.Of(options.Value, run);
            files.ClaimJobFolder();
            var (token, hash) = RunTokens.Create();
            var tokenFile = files.TokenFile;
            await PrivateFile.WriteAsync(tokenFile, token, cancellationToken);
            var scriptFile = files.JobScript;
            await PrivateFile.WriteAsync(scriptFile, SlurmJobScript.Write(runId, o, resources, files.JobFolder, tokenFile), cancellationToken);
            // The token is valid before sbatch answers: a job may start (and report) at once.
            run.Executor = RunExecutors.Slurm;
            run.JobTokenHash = hash;
            run.JobReportSeq = 0;
            run.JobId = null;
            run.JobState = JobState.Submitting.Text;
            await db.SaveChangesAsync(cancellationToken);
            var jobId = await slurm.SubmitAsync(scriptFile, cancellationToken);
            await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.JobId, jobId).SetProperty(r => r.JobState, JobState.Pending.Text), cancellationToken);
            logger.LogInformation("Run {RunId} submitted to Slurm as job {JobId}", runId, jobId);
            await notifier.StatusChangedAsync(runId, RunStatus.Running, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await EndUnsubmittedAsync(runId, RunStatus.Interrupted, "PalmLab stopped while this run was being submitted to Slurm; resume it.");
        }
        catch (PalmLabException e)
        {
            await EndUnsubmittedAsync(runId, RunStatus.Failed, e.Message);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Run {RunId} could not be submitted to Slurm", runId);
            await EndUnsubmittedAsync(runId, RunStatus.Failed, $"Unexpected error while submitting to Slurm: {e.Message}");
        }
    }

    // No job: the state must not stay "submitting", and the run ends with why.
    private async Task EndUnsubmittedAsync(int runId, RunStatus status, string reason)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            var (submitting, notSubmitted) = (JobState.Submitting.Text, JobState.NotSubmitted.Text);
            await db.Runs.Where(r => r.Id == runId && r.JobId == null && r.JobState == submitting)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.JobState, notSubmitted), CancellationToken.None);
        }
        finally
        {
            await recorder.FinishAsync(runId, status, reason);
        }
    }

    /// <summary>Cancels the run's job with scancel and records the run's end (Cancelled, or a sweep's Stopped) with the reason.</summary>
    private async Task<RunActionResult> EndAsync(int runId, string jobId, RunStatus status, string reason, CancellationToken cancellationToken)
    {
        var (done, message) = await slurm.CancelAsync(jobId, cancellationToken);
        if (!done)
        {
            return RunActionResult.Conflict($"Slurm did not cancel job {jobId}: {message}");
        }
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.JobState, JobState.Cancelled.Text), cancellationToken);
        }
        await recorder.FinishAsync(runId, status, reason);
        logger.LogInformation("Run {RunId} ended {Status}: scancel {JobId}", runId, status, jobId);
        return RunActionResult.Done;
    }
}
