using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PalmLab.Engine;
using PalmLab.Web.Data;
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
    ILogger<SlurmExecutor> logger)
{
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
            await WritePrivateAsync(tokenFile, token, cancellationToken);
            var scriptFile = files.JobScript;
            await WritePrivateAsync(scriptFile, SlurmJobScript.Write(runId, o, resources, files.JobFolder, tokenFile), cancellationToken);
            // The token is valid before sbatch answers: a job may start (and report) at once.
            run.Executor = RunExecutors.Slurm;
            run.JobTokenHash = hash;
            run.JobReportSeq = 0;
            run.JobId = null;
            run.JobState = Submitting;
            await db.SaveChangesAsync(cancellationToken);
            var jobId = await slurm.SubmitAsync(scriptFile, cancellationToken);
            await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.JobId, jobId).SetProperty(r => r.JobState, "PENDING"), cancellationToken);
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

    private const string Submitting = "submitting";

    /// <summary>What the run's job state says once sbatch was not run or refused the job.</summary>
    public const string NotSubmitted = "not submitted";

    // No job: the state must not stay "submitting", and the run ends with why.
    private async Task EndUnsubmittedAsync(int runId, RunStatus status, string reason)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await db.Runs.Where(r => r.Id == runId && r.JobId == null && r.JobState == Submitting)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.JobState, NotSubmitted), CancellationToken.None);
        }
        finally
        {
            await recorder.FinishAsync(runId, status, reason);
        }
    }

    /// <summary>Cancels the run's job with scancel and records the run's end (Cancelled, or a sweep's Stopped) with the reason.</summary>
    public async Task<RunActionResult> EndAsync(int runId, string jobId, RunStatus status, string reason, CancellationToken cancellationToken)
    {
        var (done, message) = await slurm.CancelAsync(jobId, cancellationToken);
        if (!done)
        {
            return RunActionResult.Conflict($"Slurm did not cancel job {jobId}: {message}");
        }
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.JobState, "CANCELLED"), cancellationToken);
        }
        await recorder.FinishAsync(runId, status, reason);
        logger.LogInformation("Run {RunId} ended {Status}: scancel {JobId}", runId, status, jobId);
        return RunActionResult.Done;
    }

    // Readable by the dashboard's user only: the token lets its holder report for the run.
    private static async Task WritePrivateAsync(string path, string text, CancellationToken cancellationToken)
    {
        File.Delete(path);
        await File.WriteAllTextAsync(path, "", cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        await File.WriteAllTextAsync(path, text, cancellationToken);
    }
}
