using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PalmLab.Web.Data;

namespace PalmLab.Web.Health;

/// <summary>
/// Healthy when the database (SQLite or PostgreSQL) opens and answers a query on the runs table and, for SQLite, the
/// file is still the one opened at start-up.
/// </summary>
public sealed class DatabaseHealthCheck(IDbContextFactory<PalmLabDbContext> dbFactory, DatabaseFileWatch fileWatch) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (fileWatch.Problem() is { } problem)
        {
            return HealthCheckResult.Unhealthy(problem);
        }
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var runs = await db.Runs.CountAsync(cancellationToken);
            return HealthCheckResult.Healthy("The database answers.", new Dictionary<string, object> { ["runs"] = runs });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The message (say "unable to open database file") is what an operator needs; the stack trace stays in no answer.
            return HealthCheckResult.Unhealthy($"The database cannot be read: {e.Message}");
        }
    }
}
