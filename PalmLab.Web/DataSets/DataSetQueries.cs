using Microsoft.EntityFrameworkCore;
using PalmLab.Web.Data;

namespace PalmLab.Web.DataSets;

/// <summary>What the pages read about registered data sets.</summary>
public sealed class DataSetQueries(IDbContextFactory<PalmLabDbContext> dbFactory)
{
    /// <summary>Every data set by name (the forms' choices).</summary>
    public async Task<List<DataSet>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.DataSets.AsNoTracking().OrderBy(d => d.Name).ToListAsync(cancellationToken);
    }

    /// <summary>Every data set by name, with how many runs trained on it (the Data sets page).</summary>
    public async Task<List<(DataSet DataSet, int Runs)>> ListWithRunCountsAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.DataSets.AsNoTracking()
            .OrderBy(d => d.Name)
            .Select(d => new { DataSet = d, Runs = db.Runs.Count(r => r.DataSetId == d.Id) })
            .ToListAsync(cancellationToken);
        return rows.Select(r => (r.DataSet, r.Runs)).ToList();
    }

    /// <summary>One data set with its run count and its newest <paramref name="recentRuns"/> runs; null when it does not exist.</summary>
    public async Task<DataSetOverview?> OverviewAsync(int id, int recentRuns, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var dataSet = await db.DataSets.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (dataSet is null)
        {
            return null;
        }
        var total = await db.Runs.CountAsync(r => r.DataSetId == id, cancellationToken);
        var runs = await db.Runs.AsNoTracking().Where(r => r.DataSetId == id)
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Take(recentRuns)
            .Select(r => new DataSetRun(r.Id, r.Name, r.Status, r.CreatedAt))
            .ToListAsync(cancellationToken);
        return new DataSetOverview(dataSet, total, runs);
    }
}
