using Microsoft.EntityFrameworkCore;
using PalmLab.Web.Data;

namespace PalmLab.Web.Runs;

/// <summary>
/// Where a running run stands: the batch of its epoch (of its fold, 1..K, when it is cross-validated; else
/// <see cref="Fold"/> is null), the share of all its steps done, and the time left at its average speed so far.
/// </summary>
public sealed record RunningProgress(int Epoch, int Batch, int BatchesPerEpoch, TimeSpan? Remaining, int? Fold = null, double Percent = 0)
{
    /// <summary>
    /// The progress of each of <paramref name="runIds"/> from its last recorded batch. Meant for the few running runs of a page: one query for the runs, one for their last steps.
    /// </summary>
    public static async Task<IReadOnlyDictionary<int, RunningProgress>> ReadAsync(
        PalmLabDbContext db, IReadOnlyCollection<int> runIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (runIds.Count == 0)
        {
            return new Dictionary<int, RunningProgress>();
        }
        var runs = await db.Runs.AsNoTracking().Include(r => r.DataSet).Where(r => runIds.Contains(r.Id)).ToListAsync(cancellationToken);
        var stored = await db.BatchLosses.Where(b => runIds.Contains(b.RunId))
            .GroupBy(b => b.RunId).Select(g => new { RunId = g.Key, Step = g.Max(b => b.Step) })
            .ToDictionaryAsync(s => s.RunId, s => s.Step, cancellationToken);
        var progress = new Dictionary<int, RunningProgress>();
        foreach (var run in runs.Where(r => r.DataSet is not null))
        {
            progress[run.Id] = At(run, stored.GetValueOrDefault(run.Id), now);
        }
        return progress;
    }

    /// <summary>The progress of <paramref name="run"/> (with its data set) after global step <paramref name="step"/>.</summary>
    public static RunningProgress At(Run run, long step, DateTimeOffset now)
    {
        var perEpoch = RunMapping.BatchesPerEpoch(run.Options, run.DataSet!);
        // A cross-validated run trains every fold's epochs in turn, its steps running on.
        var total = (long)perEpoch * run.Options.Epochs * (run.Options.Folds ?? 1);
        step = Math.Clamp(step, 0, total);
        var elapsed = run.StartedAt is { } started ? now - started : TimeSpan.Zero;
        TimeSpan? remaining = step > 0 && elapsed > TimeSpan.Zero ? elapsed / step * (total - step) : null;
        var epochs = (int)((Math.Max(1, step) - 1) / perEpoch);
        int? fold = run.Options.Folds is null ? null : epochs / run.Options.Epochs + 1;
        return step == 0
            ? new RunningProgress(1, 0, perEpoch, null, fold)
            : new RunningProgress(epochs % run.Options.Epochs + 1, (int)((step - 1) % perEpoch) + 1, perEpoch, remaining, fold, 100.0 * step / total);
    }
}
