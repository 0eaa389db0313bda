using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using PalmLab.Web.Data;

namespace PalmLab.Web.Runs;

/// <summary>
/// Takes the oldest queued run for this process to train, turning it Running in the same step, so that two dashboards on
/// one PostgreSQL database never take the same run.
/// </summary>
public sealed class RunQueue(IDbContextFactory<PalmLabDbContext> dbFactory, DatabaseProvider provider)
{
    /// <summary>The id of the run now claimed, or null when no run (other than <paramref name="exclude"/>) is queued.</summary>
    public async Task<int?> ClaimNextAsync(IReadOnlyCollection<int> exclude, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return provider.Kind == DatabaseKind.Postgres
            ? await ClaimOnPostgresAsync(db, exclude, cancellationToken)
            : await ClaimOnSqliteAsync(db, exclude, cancellationToken);
    }

    // One statement: the row lock taken on the oldest queued run holds until the update commits, and a second claimer
    // skips locked rows rather than waiting for them, so it takes the next run instead of the same one.
    // RunLifecycle's claim (Queued to Running), with the row chosen in the same statement.
    private static async Task<int?> ClaimOnPostgresAsync(PalmLabDbContext db, IReadOnlyCollection<int> exclude, CancellationToken cancellationToken)
    {
        RunLifecycle.EnsureAllowed(RunStatus.Queued, RunStatus.Running);
        var runs = db.Model.FindEntityType(typeof(Run))!;
        var table = StoreObjectIdentifier.Table(runs.GetTableName()!, runs.GetSchema());
        var quote = db.GetService<ISqlGenerationHelper>();
        string Column(string property) => quote.DelimitIdentifier(runs.FindProperty(property)!.GetColumnName(table)!);
        var (id, status, createdAt) = (Column(nameof(Run.Id)), Column(nameof(Run.Status)), Column(nameof(Run.CreatedAt)));
        var statuses = runs.FindProperty(nameof(Run.Status))!.GetTypeMapping().Converter!;
        var runsTable = quote.DelimitIdentifier(table.Name, table.Schema);
        // Only the model's own quoted names are written into the text; the values are parameters.
        var statement = $$"""
            UPDATE {{runsTable}} SET {{status}} = {0}
            WHERE {{id}} = (
                SELECT {{id}} FROM {{runsTable}}
                WHERE {{status}} = {1} AND NOT ({{id}} = ANY ({2}))
                ORDER BY {{createdAt}}, {{id}}
                LIMIT 1
                FOR UPDATE SKIP LOCKED)
            RETURNING {{id}} AS "Value"
            """;
        var claimed = await db.Database.SqlQueryRaw<int>(statement,
            statuses.ConvertToProvider(RunStatus.Running)!, statuses.ConvertToProvider(RunStatus.Queued)!, exclude.ToArray())
            .ToListAsync(cancellationToken);
        return claimed.Count == 0 ? null : claimed[0];
    }

    // SQLite lets one writer in at a time: the conditional update fails only when a cancel or a delete won the race for
    // that run, and then the next queued run is tried.
    private static async Task<int?> ClaimOnSqliteAsync(PalmLabDbContext db, IReadOnlyCollection<int> exclude, CancellationToken cancellationToken)
    {
        while (true)
        {
            var next = await db.Runs
                .Where(r => r.Status == RunStatus.Queued && !exclude.Contains(r.Id))
                .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)
                .Select(r => (int?)r.Id)
                .FirstOrDefaultAsync(cancellationToken);
            if (next is not { } runId)
            {
                return null;
            }
            if (await RunLifecycle.ClaimAsync(db, runId, cancellationToken))
            {
                return runId;
            }
        }
    }
}
