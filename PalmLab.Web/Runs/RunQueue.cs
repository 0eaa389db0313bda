using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using PalmLab.Web.Data;
using PalmLab.Web.Options;

namespace PalmLab.Web.Runs;

/// <summary>
/// Takes the oldest queued run for this process to train, turning it Running in the same step, so that two dashboards on
/// one PostgreSQL database never take the same run. The claim makes this dashboard (<see cref="ExecutorInstance"/>) the
/// run's owner and gives it a lease (<see cref="LeaseOptions.Duration"/>) that <see cref="RunLeases"/> renews.
/// </summary>
public sealed class RunQueue(IDbContextFactory<PalmLabDbContext> dbFactory, DatabaseProvider provider, ExecutorInstance instance,
    IOptions<LeaseOptions> leases, TimeProvider time)
{
    /// <summary>The id of the run now claimed, or null when no run (other than <paramref name="exclude"/>) is queued.</summary>
    public async Task<int?> ClaimNextAsync(IReadOnlyCollection<int> exclude, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var leaseUntil = time.GetUtcNow() + leases.Value.Duration;
        return provider.Kind == DatabaseKind.Postgres
            ? await ClaimOnPostgresAsync(db, exclude, instance.Id, leaseUntil, cancellationToken)
            : await ClaimOnSqliteAsync(db, exclude, instance.Id, leaseUntil, cancellationToken);
    }

    // One statement: the row lock taken on the oldest queued run holds until the update commits, and a second claimer
    // skips locked rows rather than waiting for them, so it takes the next run instead of the same one.
    // RunLifecycle's claim (Queued to Running), with the row chosen in the same statement.
    private static async Task<int?> ClaimOnPostgresAsync(PalmLabDbContext db, IReadOnlyCollection<int> exclude, string owner, DateTimeOffset leaseUntil,
        CancellationToken cancellationToken)
    {
        RunLifecycle.EnsureAllowed(RunStatus.Queued, RunStatus.Running);
        var runs = db.Model.FindEntityType(typeof(Run))!;
        var table = StoreObjectIdentifier.Table(runs.GetTableName()!, runs.GetSchema());
        var quote = db.GetService<ISqlGenerationHelper>();
        string Column(string property) => quote.DelimitIdentifier(runs.FindProperty(property)!.GetColumnName(table)!);
        var (id, status, createdAt) = (Column(nameof(Run.Id)), Column(nameof(Run.Status)), Column(nameof(Run.CreatedAt)));
        var (ownerColumn, leaseColumn) = (Column(nameof(Run.Owner)), Column(nameof(Run.LeaseUntil)));
        var statuses = runs.FindProperty(nameof(Run.Status))!.GetTypeMapping().Converter!;
        var times = runs.FindProperty(nameof(Run.LeaseUntil))!.GetTypeMapping().Converter!;
        var runsTable = quote.DelimitIdentifier(table.Name, table.Schema);
        // Only the model's own quoted names are written into the text; the values are parameters.
        var statement = $$"""
            UPDATE {{runsTable}} SET {{status}} = {0}, {{ownerColumn}} = {3}, {{leaseColumn}} = {4}
            WHERE {{id}} = (
                SELECT {{id}} FROM {{runsTable}}
                WHERE {{status}} = {1} AND NOT ({{id}} = ANY ({2}))
                ORDER BY {{createdAt}}, {{id}}
                LIMIT 1
                FOR UPDATE SKIP LOCKED)
            RETURNING {{id}} AS "Value"
            """;
        var claimed = await db.Database.SqlQueryRaw<int>(statement,
            statuses.ConvertToProvider(RunStatus.Running)!, statuses.ConvertToProvider(RunStatus.Queued)!, exclude.ToArray(),
            owner, times.ConvertToProvider(leaseUntil)!)
            .ToListAsync(cancellationToken);
        return claimed.Count == 0 ? null : claimed[0];
    }

    // SQLite lets one writer in at a time: the conditional update fails only when a cancel or a delete won the race for
    // that run, and then the next queued run is tried.
    private static async Task<int?> ClaimOnSqliteAsync(PalmLabDbContext db, IReadOnlyCollection<int> exclude, string owner, DateTimeOffset leaseUntil,
        CancellationToken cancellationToken)
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
            if (await RunLifecycle.ClaimAsync(db, runId, owner, leaseUntil, cancellationToken))
            {
                return runId;
            }
        }
    }
}
