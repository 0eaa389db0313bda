using Microsoft.EntityFrameworkCore;
using PalmLab.Web.Data;

namespace PalmLab.Web.Runs;

/// <summary>
/// The runs list as one EF query: filtered, sorted and paged in SQL, with each run's best AUC and accuracy as
/// subqueries, so a page costs the same with ten runs or ten thousand.
/// </summary>
public static class RunListQuery
{
    public static async Task<RunListPage> PageAsync(PalmLabDbContext db, RunListFilter filter, CancellationToken cancellationToken)
    {
        var total = await Filtered(db, filter).CountAsync(cancellationToken);
        var items = await Paged(db, filter).ToListAsync(cancellationToken);
        return new RunListPage(items, total);
    }

    /// <summary>The rows of the filter's page, not yet run.</summary>
    public static IQueryable<RunListRow> Paged(PalmLabDbContext db, RunListFilter filter) =>
        Sorted(Project(db, Filtered(db, filter)), filter).Skip(filter.Page * filter.PageSize).Take(filter.PageSize);

    /// <summary>
    /// The runs the filter matches, newest first, from <paramref name="offset"/>: the API's list, which shows runs
    /// whole rather than as rows, through the same filter and search as the page.
    /// </summary>
    public static async Task<(List<Run> Runs, int TotalCount)> RunsAsync(
        PalmLabDbContext db, RunListFilter filter, int offset, int limit, CancellationToken cancellationToken)
    {
        var query = Filtered(db, filter);
        var total = await query.CountAsync(cancellationToken);
        var runs = await query.Include(r => r.DataSet).OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .Skip(offset).Take(limit).ToListAsync(cancellationToken);
        return (runs, total);
    }

    private static IQueryable<Run> Filtered(PalmLabDbContext db, RunListFilter filter)
    {
        var query = db.Runs.AsNoTracking();
        if (filter.Status is { } status) query = query.Where(r => r.Status == status);
        if (filter.Depth is { } depth) query = query.Where(r => r.Options.Depth == depth);
        if (filter.DataSetId is { } dataSetId) query = query.Where(r => r.DataSetId == dataSetId);
        if (!string.IsNullOrWhiteSpace(filter.DataSet)) query = query.Where(r => r.DataSet!.Name == filter.DataSet);
        return query.WithTag(filter.Tag).Matching(filter.Search);
    }

    private static IQueryable<RunListRow> Project(PalmLabDbContext db, IQueryable<Run> runs) => runs.Select(r => new RunListRow
    {
        Id = r.Id,
        Name = r.Name,
        Tags = r.Tags,
        Status = r.Status,
        ErrorMessage = r.ErrorMessage,
        Depth = r.Options.Depth,
        ImageSize = r.Options.ImageSize,
        Backbone = r.Options.Backbone,
        // A cross-validated run trains each fold's epochs.
        Epochs = r.Options.Epochs * (r.Options.Folds ?? 1),
        EpochsDone = db.EpochMetrics.Count(m => m.RunId == r.Id),
        DataSet = r.DataSet!.Name,
        Executor = r.Executor,
        JobId = r.JobId,
        // A cross-validated run's metrics are the mean over its folds at the final epoch (what each fold ended with).
        BestAuc = r.Options.Folds == null
            ? db.EpochMetrics.Where(m => m.RunId == r.Id).Max(m => m.Auc)
            : db.EpochMetrics.Where(m => m.RunId == r.Id && m.Epoch == r.Options.Epochs).Average(m => m.Auc),
        BestAccuracy = r.Options.Folds == null
            ? db.EpochMetrics.Where(m => m.RunId == r.Id).Max(m => m.Accuracy)
            : db.EpochMetrics.Where(m => m.RunId == r.Id && m.Epoch == r.Options.Epochs).Average(m => m.Accuracy),
        Folds = r.Options.Folds,
        FoldsFinished = r.Options.Folds == null ? 0 : db.EpochMetrics.Count(m => m.RunId == r.Id && m.Epoch == r.Options.Epochs && m.Fold != null),
        AucMeanSquare = r.Options.Folds == null ? null : db.EpochMetrics.Where(m => m.RunId == r.Id && m.Epoch == r.Options.Epochs).Average(m => m.Auc * m.Auc),
        AccuracyMeanSquare = r.Options.Folds == null ? null
            : db.EpochMetrics.Where(m => m.RunId == r.Id && m.Epoch == r.Options.Epochs).Average(m => m.Accuracy * m.Accuracy),
        CreatedAt = r.CreatedAt,
        StartedAt = r.StartedAt,
        FinishedAt = r.FinishedAt,
    });

    // Below every AUC and accuracy: a run without one sorts first ascending and last descending on both databases
    // (SQLite puts NULL first when ascending, PostgreSQL last).
    private const double NoMetric = -1;

    // The id breaks ties, so a page boundary never falls between equal rows differently from one query to the next.
    private static IQueryable<RunListRow> Sorted(IQueryable<RunListRow> rows, RunListFilter filter) => (filter.Sort, filter.Descending) switch
    {
        (RunSortKey.Name, false) => rows.OrderBy(r => r.Name).ThenBy(r => r.Id),
        (RunSortKey.Name, true) => rows.OrderByDescending(r => r.Name).ThenByDescending(r => r.Id),
        (RunSortKey.Status, false) => rows.OrderBy(r => r.Status).ThenByDescending(r => r.Id),
        (RunSortKey.Status, true) => rows.OrderByDescending(r => r.Status).ThenByDescending(r => r.Id),
        (RunSortKey.Model, false) => rows.OrderBy(r => r.Depth).ThenBy(r => r.ImageSize).ThenBy(r => r.Id),
        (RunSortKey.Model, true) => rows.OrderByDescending(r => r.Depth).ThenByDescending(r => r.ImageSize).ThenByDescending(r => r.Id),
        (RunSortKey.DataSet, false) => rows.OrderBy(r => r.DataSet).ThenByDescending(r => r.Id),
        (RunSortKey.DataSet, true) => rows.OrderByDescending(r => r.DataSet).ThenByDescending(r => r.Id),
        (RunSortKey.Auc, false) => rows.OrderBy(r => r.BestAuc ?? NoMetric).ThenBy(r => r.Id),
        (RunSortKey.Auc, true) => rows.OrderByDescending(r => r.BestAuc ?? NoMetric).ThenByDescending(r => r.Id),
        (RunSortKey.Accuracy, false) => rows.OrderBy(r => r.BestAccuracy ?? NoMetric).ThenBy(r => r.Id),
        (RunSortKey.Accuracy, true) => rows.OrderByDescending(r => r.BestAccuracy ?? NoMetric).ThenByDescending(r => r.Id),
        (_, false) => rows.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id),
        _ => rows.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id),
    };
}
