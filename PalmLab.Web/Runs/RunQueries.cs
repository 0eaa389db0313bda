using Microsoft.EntityFrameworkCore;
using PalmLab.Engine.Training;
using PalmLab.Web.Data;

namespace PalmLab.Web.Runs;

/// <summary>
/// What the pages and the API read about runs. The runs list goes through one filter and one search
/// (<see cref="RunListQuery"/>, <see cref="RunSearch"/>), so the page and <c>GET /api/runs</c> find the same runs for
/// the same words; a run's curve and epochs come from <see cref="RunReader"/>, as the API's do.
/// </summary>
public sealed class RunQueries(IDbContextFactory<PalmLabDbContext> dbFactory, TimeProvider time)
{
    /// <summary>One page of the runs list, each running row with its progress.</summary>
    public async Task<RunListPage> PageAsync(RunListFilter filter, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var page = await RunListQuery.PageAsync(db, filter, cancellationToken);
        var running = page.Items.Where(r => r.Status == RunStatus.Running).Select(r => r.Id).ToList();
        var progress = await RunningProgress.ReadAsync(db, running, time.GetUtcNow(), cancellationToken);
        return page with { Items = page.Items.Select(r => progress.TryGetValue(r.Id, out var p) ? r with { Progress = p } : r).ToList() };
    }

    /// <summary>The runs the filter matches, newest first, skipping <paramref name="offset"/>, with their data sets; and how many match in all.</summary>
    public async Task<(List<Run> Runs, int TotalCount)> RunsAsync(RunListFilter filter, int offset, int limit, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await RunListQuery.RunsAsync(db, filter, offset, limit, cancellationToken);
    }

    /// <summary>The data sets' names, in order, for the list's data set filter.</summary>
    public async Task<List<string>> DataSetNamesAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.DataSets.OrderBy(d => d.Name).Select(d => d.Name).ToListAsync(cancellationToken);
    }

    /// <summary>The run alone (a form filled from it), or null.</summary>
    public async Task<Run?> FindAsync(int id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
    }

    /// <summary>The run with its data set and checkpoints (the run page), or null.</summary>
    public async Task<Run?> DetailAsync(int id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs.Include(r => r.DataSet).Include(r => r.Checkpoints).AsSplitQuery().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
    }

    /// <summary>Those of <paramref name="ids"/> that exist, with their data sets, by id.</summary>
    public async Task<Dictionary<int, Run>> FindManyAsync(IReadOnlyCollection<int> ids, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs.Include(r => r.DataSet).AsNoTracking().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, cancellationToken);
    }

    /// <summary>Every epoch of every fold (<see cref="RunReader.ReadFoldEpochsAsync"/>); null for an unknown run.</summary>
    public Task<List<FoldEpoch>?> FoldEpochsAsync(int id, CancellationToken cancellationToken) => RunReader.ReadFoldEpochsAsync(dbFactory, id, cancellationToken);

    /// <summary>The batch-loss curve thinned to about <paramref name="points"/> (<see cref="RunReader.ReadCurveAsync"/>); null for an unknown run.</summary>
    public Task<IReadOnlyList<BatchPoint>?> CurveAsync(int id, int points, CancellationToken cancellationToken) =>
        RunReader.ReadCurveAsync(dbFactory, id, points, cancellationToken);

    /// <summary>The fullest epoch's batch count (<see cref="RunReader.ReadBatchesPerEpochAsync"/>).</summary>
    public Task<int> BatchesPerEpochAsync(int id, CancellationToken cancellationToken) => RunReader.ReadBatchesPerEpochAsync(dbFactory, id, cancellationToken);

    /// <summary>The last step of each epoch (<see cref="RunReader.ReadEpochEndsAsync"/>).</summary>
    public Task<Dictionary<(int? Fold, int Epoch), long>> EpochEndsAsync(int id, CancellationToken cancellationToken) =>
        RunReader.ReadEpochEndsAsync(dbFactory, id, cancellationToken);
}
