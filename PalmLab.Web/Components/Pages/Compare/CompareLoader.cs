using Microsoft.EntityFrameworkCore;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Web.Components.Pages.Compare;

/// <summary>Reads the compared runs in-process, as the run page does (<see cref="RunReader"/>), in the order asked for.</summary>
public static class CompareLoader
{
    // Points drawn in the batch-loss chart over all runs: ten runs of 100k batches stay a few thousand points.
    private const int TotalCurvePoints = 8000;

    public static async Task<(List<ComparedRun> Runs, List<int> Unknown)> LoadAsync(
        IDbContextFactory<PalmLabDbContext> dbFactory, LiveRuns live, IReadOnlyList<int> ids, CancellationToken ct)
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
            var epochs = await RunReader.ReadEpochsAsync(dbFactory, id, ct) ?? [];
            var curve = await RunReader.ReadCurveAsync(dbFactory, live, id, 0, ct) ?? [];
            runs.Add(new ComparedRun(found[id], epochs, EpochAxis.Place(curve, points)));
        }
        return (runs, ids.Where(id => !found.ContainsKey(id)).ToList());
    }
}
