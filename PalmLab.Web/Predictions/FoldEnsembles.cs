using Microsoft.EntityFrameworkCore;
using PalmLab.Engine;
using PalmLab.Engine.Inference;
using PalmLab.Engine.Training;
using PalmLab.Web.Data;
using PalmLab.Web.Options;
using PalmLab.Web.Runs;

namespace PalmLab.Web.Predictions;

/// <summary>
/// The fold models of cross-validated runs as one prediction choice each ("RUN:ensemble"). They are found on disk in each
/// run's folder (<see cref="RunFolder"/>: fold-K/best.ckpt), for the runs whose options ask for folds.
/// </summary>
public static class FoldEnsembles
{
    /// <summary>An ensemble choice for each cross-validated run whose every fold has its best checkpoint on disk.</summary>
    public static async Task<IReadOnlyList<CheckpointChoice>> ListAsync(PalmLabDbContext db, PalmLabOptions options, CancellationToken cancellationToken)
    {
        var runs = await (
            from r in db.Runs.AsNoTracking()
            where r.Options.Folds != null
            join d in db.DataSets.AsNoTracking() on r.DataSetId equals d.Id
            select new { r.Id, r.Uid, r.Name, r.Status, r.Options, DataSet = d.Name })
            .ToListAsync(cancellationToken);
        var choices = new List<CheckpointChoice>();
        foreach (var run in runs)
        {
            var files = new RunFolder(options, run.Id, run.Uid);
            if (Find(files.Path, run.Options.Folds!.Value) is { } set && Headers(set) is { } headers
                && headers.Zip(set.Paths).All(h => files.IsOwnCheckpoint(h.First, h.Second)))
            {
                // Each fold's best checkpoint knows its own validation scores: their mean is the run's cross-validated estimate.
                choices.Add(new CheckpointChoice(0, run.Id, run.Name, run.Status, CheckpointKind.Best, headers.Max(h => h.Epoch), run.Options.Depth,
                    run.Options.ImageSize, run.Options.Threshold, Mean(headers.Select(h => h.BestAuc)), Mean(headers.Select(h => h.BestAccuracy)),
                    run.DataSet, files.Path) { FoldPaths = set.Paths });
            }
        }
        return choices;
    }

    /// <summary>Why run <paramref name="runId"/> has no ensemble: 404 (no such run, fold models not all on disk) or 400 (not cross-validated).</summary>
    public static async Task<(int Status, string Detail)> WhyNoneAsync(PalmLabDbContext db, PalmLabOptions options, int runId, CancellationToken cancellationToken)
    {
        var run = await db.Runs.AsNoTracking().Where(r => r.Id == runId).Select(r => new { r.Name, r.Options.Folds }).SingleOrDefaultAsync(cancellationToken);
        if (run is null)
        {
            return (StatusCodes.Status404NotFound, $"There is no run {runId}: GET /api/runs lists the runs.");
        }
        if (run.Folds is not { } folds)
        {
            return (StatusCodes.Status400BadRequest,
                $"Run {runId} ({run.Name}) is not cross-validated: only a run trained with folds has fold models to average. Ask for {runId}:best or {runId}:last.");
        }
        // Server paths stay out of the answer: the run and its folds say enough.
        return (StatusCodes.Status404NotFound,
            $"Run {runId} ({run.Name}) has not got the best checkpoint of each of its {folds} folds on disk yet (is it still training?), so there is no ensemble to predict with.");
    }

    private static CheckpointSet? Find(string folder, int folds)
    {
        try
        {
            var set = CheckpointSet.FromCrossValidation(folder);
            return set.Paths.Count == folds ? set : null;
        }
        catch (PalmLabException)
        {
            return null;
        }
    }

    // A fold file that cannot be read (truncated, replaced) leaves the run without an ensemble rather than failing the list.
    private static List<CheckpointHeader>? Headers(CheckpointSet set)
    {
        try
        {
            return set.Paths.Select(Checkpoint.ReadHeader).ToList();
        }
        catch (Exception e) when (e is PalmLabException or IOException)
        {
            return null;
        }
    }

    private static double? Mean(IEnumerable<double?> values) => values.All(v => v is not null) ? values.Average() : null;
}
