using Microsoft.EntityFrameworkCore;
using PalmLab.Engine.Jobs;
using PalmLab.Web.Data;
using PalmLab.Web.Executors;
using PalmLab.Web.Runs;

namespace PalmLab.Web.Slurm;

/// <summary>
/// Records the numbered reports of a run's training process, local or a Slurm job: the one recording path of every run
/// (batch-loss rows, <see cref="RunRecorder"/>, <see cref="RunNotifier"/>). Each report advances the run's report number in the same transaction as its rows, so a
/// report sent twice (its answer was lost, the dashboard restarted) is acknowledged and never applied twice.
/// </summary>
public sealed class JobReportRecorder(IDbContextFactory<PalmLabDbContext> dbFactory, RunRecorder recorder, RunNotifier notifier, ILogger<JobReportRecorder> logger)
{
    public async Task<IResult> RecordAsync(int runId, IReadOnlyList<JobReport> reports, CancellationToken cancellationToken)
    {
        long accepted = 0;
        foreach (var report in reports.OrderBy(r => r.Seq))
        {
            var outcome = await ApplyAsync(runId, report, cancellationToken);
            if (outcome is { } problem)
            {
                return problem;
            }
            accepted = report.Seq;
        }
        return TypedResults.Ok(new JobReportAnswer(accepted));
    }

    // Null when the report is recorded now or was before; otherwise the problem to answer.
    private async Task<IResult?> ApplyAsync(int runId, JobReport report, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var advanced = await db.Runs
            .Where(r => r.Id == runId && r.Status == RunStatus.Running && r.JobReportSeq == report.Seq - 1)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.JobReportSeq, report.Seq), cancellationToken);
        if (advanced == 0)
        {
            var run = await db.Runs.AsNoTracking().Where(r => r.Id == runId).Select(r => new { r.Status, r.JobReportSeq }).SingleAsync(cancellationToken);
            if (run.JobReportSeq >= report.Seq)
            {
                return null; // recorded before
            }
            return run.Status != RunStatus.Running
                ? JobAuth.RunEnded(runId, run.Status)
                : TypedResults.Problem($"Report {report.Seq} came before report {run.JobReportSeq + 1}: send them in order.", statusCode: StatusCodes.Status409Conflict);
        }
        if (report.Start is { } start)
        {
            var where = start.Node is null ? "" : $" on {start.Node}";
            var state = JobState.RunningOn(start.Node).Text;
            await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.Device, start.Device).SetProperty(r => r.JobState, state), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation("Run {RunId}: its job started training on {Device}{Where}", runId, start.Device, where);
            await notifier.StatusChangedAsync(runId, RunStatus.Running, null);
        }
        else if (report.Batches is { Count: > 0 } batches)
        {
            var points = new List<BatchPoint>(batches.Count);
            foreach (var fold in batches.Select(b => b.Fold).Distinct())
            {
                // A fold's steps follow the previous fold's last step, as for a local run.
                var offset = fold is { } f ? await RunPlanner.StepsBeforeFoldAsync(db, runId, f, cancellationToken) : 0;
                points.AddRange(batches.Where(b => b.Fold == fold).Select(b => new BatchPoint(offset + b.Step, b.Epoch, b.Loss, b.LearningRate, b.Fold)));
            }
            await BatchLossRows.InsertAsync(db, runId, points, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            foreach (var point in points)
            {
                notifier.BatchCompleted(runId, point);
            }
        }
        else if (report.Epoch is { } epoch)
        {
            await recorder.AddEpochAsync(db, runId, epoch.Fold, epoch.Result, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            await recorder.EpochRecordedAsync(runId, epoch.Fold, epoch.Folds, epoch.Result);
        }
        else if (report.End is { } end)
        {
            var status = end.Status == nameof(RunStatus.Completed) ? RunStatus.Completed : RunStatus.Failed;
            // The job exits next; Slurm's own word for it is the same.
            var state = JobState.Ended(status == RunStatus.Completed).Text;
            await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.JobState, state), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            await recorder.FinishAsync(runId, status, status == RunStatus.Completed ? null : end.Error ?? "The job failed.");
        }
        else
        {
            await transaction.CommitAsync(cancellationToken);
        }
        return null;
    }
}
