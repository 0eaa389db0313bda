using Microsoft.EntityFrameworkCore;
using PalmLab.Engine.Sweeps;
using PalmLab.Engine.Training;
using PalmLab.Web.Data;

namespace PalmLab.Web.Sweeps;

/// <summary>Reads sweeps with their trials' metrics, for the API and the pages alike.</summary>
public static class SweepReader
{
    public static async Task<List<SweepView>> ListAsync(PalmLabDbContext db, CancellationToken cancellationToken)
    {
        var sweeps = await db.Sweeps.Include(s => s.DataSet).AsNoTracking().OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).ToListAsync(cancellationToken);
        var ids = sweeps.Select(s => s.Id).ToList();
        var trials = (await TrialsQuery(db.Runs.Where(r => r.SweepId != null && ids.Contains(r.SweepId.Value))).ToListAsync(cancellationToken))
            .ToLookup(t => t.SweepId);
        return sweeps.Select(s => View(s, trials[s.Id])).ToList();
    }

    public static async Task<SweepView?> ReadAsync(PalmLabDbContext db, int sweepId, CancellationToken cancellationToken)
    {
        var sweep = await db.Sweeps.Include(s => s.DataSet).AsNoTracking().SingleOrDefaultAsync(s => s.Id == sweepId, cancellationToken);
        if (sweep is null)
        {
            return null;
        }
        var trials = await TrialsQuery(db.Runs.Where(r => r.SweepId == sweepId)).ToListAsync(cancellationToken);
        return View(sweep, trials);
    }

    /// <summary>The sweep's metric at each epoch of a trial's epochs, in epoch order (null where it is undefined).</summary>
    public static double? MetricOf(SweepMetric metric, double? auc, double? accuracy) => metric == SweepMetric.Accuracy ? accuracy : auc;

    private static IQueryable<TrialRow> TrialsQuery(IQueryable<Run> runs) => runs.AsNoTracking().OrderBy(r => r.Id).Select(r => new TrialRow(
        r.SweepId!.Value, r.Id, r.Name, r.Status, r.ErrorMessage, r.Options,
        r.EpochMetrics.OrderBy(m => m.Fold).ThenBy(m => m.Epoch).Select(m => new TrialEpoch(m.Fold, m.Epoch, m.Auc, m.Accuracy)).ToList()));

    private static SweepView View(Sweep sweep, IEnumerable<TrialRow> rows)
    {
        var space = SweepSpace.Parse(sweep.SpaceJson).Space;
        var trials = rows.Select((row, i) => new SweepTrialView(
            i + 1, row.RunId, row.Name, row.Status,
            space.Dimensions.ToDictionary(d => d.TrainingOption.JsonName, d => d.TrainingOption.GetValue(row.Options)),
            FinalMetric(sweep.Metric, row.Epochs), row.Epochs.Count, row.Options.Epochs * (row.Options.Folds ?? 1), row.Message, row.Options)).ToList();
        var best = trials.Where(t => t.Status == RunStatus.Completed && t.Metric is not null).MaxBy(t => t.Metric);
        trials = trials.Select(t => t == best ? t with { IsBest = true } : t).ToList();
        return new SweepView(sweep.Id, sweep.Name, sweep.DataSetId, sweep.DataSet?.Name, sweep.Status, sweep.Strategy, sweep.Seed, sweep.Metric,
            sweep.Budget, sweep.Stopping, sweep.BaseOptions, space, sweep.CreatedAt, sweep.FinishedAt, trials);
    }

    private sealed record TrialRow(int SweepId, int RunId, string Name, RunStatus Status, string? Message, TrainingOptions Options, List<TrialEpoch> Epochs);

    // The metric at the trial's last epoch; for a cross-validated trial, the mean over its folds of each fold's last epoch.
    private static double? FinalMetric(SweepMetric metric, List<TrialEpoch> epochs)
    {
        var finals = epochs.GroupBy(e => e.Fold).Select(f => f.MaxBy(e => e.Epoch)!).Select(e => MetricOf(metric, e.Auc, e.Accuracy)).ToList();
        return finals.Count == 0 || finals.Any(v => v is null) ? null : finals.Average();
    }

    private sealed record TrialEpoch(int? Fold, int Epoch, double? Auc, double? Accuracy);
}
