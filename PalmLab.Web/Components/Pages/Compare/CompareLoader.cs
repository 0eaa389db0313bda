using Microsoft.EntityFrameworkCore;
using PalmLab.Engine.Metrics;
using PalmLab.Engine.Training;
using PalmLab.Web.Api;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Web.Components.Pages.Compare;

/// <summary>Reads the compared runs in-process, as the run page does (<see cref="RunReader"/>), in the order asked for.</summary>
public static class CompareLoader
{
    // Points drawn in the batch-loss chart over all runs: ten runs of 100k batches stay a few thousand points.
    private const int TotalCurvePoints = 8000;

    public static async Task<(List<ComparedRun> Runs, List<int> Unknown)> LoadAsync(
        IDbContextFactory<PalmLabDbContext> dbFactory, IReadOnlyList<int> ids, CancellationToken ct)
    {
        Dictionary<int, Run> found;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            found = await db.Runs.Include(r => r.DataSet).AsNoTracking().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);
        }
        var points = Math.Clamp(TotalCurvePoints / Math.Max(1, found.Count), 400, 2000);
        var runs = new List<ComparedRun>(found.Count);
        foreach (var id in ids.Where(found.ContainsKey))
        {
            // A run deleted since the first query reads as empty rather than failing the page.
            var rows = await RunReader.ReadFoldEpochsAsync(dbFactory, id, ct) ?? [];
            // Thinned while it is read; the fullest epoch's batch count, which places it on the epoch axis, comes from the index.
            var curve = await RunReader.ReadCurveAsync(dbFactory, id, points, ct) ?? [];
            var batchesPerEpoch = await RunReader.ReadBatchesPerEpochAsync(dbFactory, id, ct);
            var run = found[id];
            if (run.Options.Folds is null)
            {
                runs.Add(new ComparedRun(run, rows.Select(r => r.Epoch).ToList(), EpochAxis.Place(curve, points, batchesPerEpoch)));
                continue;
            }
            // The folds train one after another: the batch loss runs on over every fold's epochs (fold 2 starts at E).
            var summary = CrossValidation.Summarise(FoldEpochsDto.Group(rows).Select(f => f.Epochs).ToList());
            var onward = curve.Select(p => p with { Epoch = ((p.Fold ?? 1) - 1) * run.Options.Epochs + p.Epoch }).ToList();
            runs.Add(new ComparedRun(run, summary.Select(e => MeanEpoch(e, run.Options, rows)).ToList(), EpochAxis.Place(onward, points, batchesPerEpoch), summary));
        }
        return (runs, ids.Where(id => !found.ContainsKey(id)).ToList());
    }

    // A cross-validated epoch as one epoch of the mean over the folds, so it is drawn and ranked like any run's.
    private static EpochResult MeanEpoch(CrossValidationEpoch e, TrainingOptions options, IReadOnlyList<FoldEpoch> rows)
    {
        double? Mean(string name) => e.Metrics.GetValueOrDefault(name)?.Mean;
        var folds = rows.Where(r => r.Epoch.Epoch == e.Epoch).Select(r => r.Epoch).ToList();
        var validation = Mean("accuracy") is { } accuracy
            ? new BinaryMetrics(folds.Sum(f => f.Validation?.Count ?? 0), options.Threshold, accuracy, Mean("auc"), Mean("sensitivity"), Mean("specificity"),
                Mean("precision"), Mean("f1"), new ConfusionMatrix(0, 0, 0, 0), [])
            : null;
        return new EpochResult(e.Epoch, options.Epochs, Mean("train_loss") ?? double.NaN, Mean("val_loss"), validation,
            folds.Count > 0 ? folds[0].LearningRate : 0, folds.Sum(f => f.Seconds), folds.Count > 0 ? folds.Average(f => f.ImagesPerSecond) : 0, false);
    }
}
