using Microsoft.EntityFrameworkCore;
using PalmLab.Web.Data;

namespace PalmLab.Web.Runs;

/// <summary>
/// The runs list for the runs page and <c>GET /api/runs</c>: one filter and one search (<see cref="RunListQuery"/>,
/// <see cref="RunSearch"/>), so the page and the API find the same runs for the same words.
/// </summary>
public sealed class RunQueries(IDbContextFactory<PalmLabDbContext> dbFactory, LiveRuns live, TimeProvider time)
{
    /// <summary>One page of the runs list, each running row with its progress.</summary>
    public async Task<RunListPage> PageAsync(RunListFilter filter, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var page = await RunListQuery.PageAsync(db, filter, cancellationToken);
        var running = page.Items.Where(r => r.Status == RunStatus.Running).Select(r => r.Id).ToList();
        var progress = await RunningProgress.ReadAsync(db, live, running, time.GetUtcNow(), cancellationToken);
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
}
