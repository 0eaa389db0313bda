using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using PalmLab.Web.Data;
using PalmLab.Web.DataSets;
using PalmLab.Web.Health;
using PalmLab.Web.Options;

namespace PalmLab.Web.Extensions;

public static class DatabaseStartup
{
    /// <summary>
    /// Before the app serves anything: applies migrations, marks runs that were training in the last process when it died
    /// as Interrupted (a Slurm job goes on: the monitor follows it again), generates the demo data set on a first start, and registers the data sets found on disk.
    /// </summary>
    /// <exception cref="DatabaseUnavailableException">
    /// PalmLab:ConnectionString cannot be read, or the PostgreSQL server cannot be reached or refuses the connection.
    /// </exception>
    public static async Task InitializePalmLabAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        var options = app.Services.GetRequiredService<IOptions<PalmLabOptions>>().Value;
        var database = app.Services.GetRequiredService<DatabaseProvider>();
        if (database.Kind == DatabaseKind.Sqlite)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(database.Location))!);
        }
        Directory.CreateDirectory(options.CheckpointsDir);
        Directory.CreateDirectory(options.DataSetsDir);

        var dbFactory = app.Services.GetRequiredService<IDbContextFactory<PalmLabDbContext>>();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        try
        {
            await db.Database.MigrateAsync(cancellationToken);
            var interrupted = await db.Runs.Where(r => r.Status == RunStatus.Running && r.Executor == RunExecutors.Local).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, RunStatus.Interrupted)
                .SetProperty(r => r.ErrorMessage, "PalmLab stopped while this run was training; resume it to continue from its last checkpoint."),
                cancellationToken);
            if (interrupted > 0)
            {
                app.Logger.LogWarning("{Count} run(s) were training when PalmLab last stopped; they are now Interrupted", interrupted);
            }
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6) // SQLITE_BUSY, SQLITE_LOCKED
        {
            throw new InvalidOperationException(
                $"The database {Path.GetFullPath(database.Location)} is locked by another process (is another PalmLab running on it?). Stop that process or set PalmLab:DatabasePath to another file.", e);
        }
        catch (NpgsqlException e)
        {
            throw new DatabaseUnavailableException(PostgresProblem(database, e), e);
        }
        app.Services.GetRequiredService<DatabaseFileWatch>().Remember();
        await DemoDataSet.EnsureAsync(options, app.Logger, cancellationToken);
        await app.Services.GetRequiredService<DataSetRegistry>().SyncAsync(cancellationToken);
    }

    // Refused (the server answered: a wrong password, no right to create the database) or unreachable (nothing answered).
    private static string PostgresProblem(DatabaseProvider database, NpgsqlException e) => e is PostgresException refused
        ? $"The PostgreSQL server at {database.Location} refused PalmLab: {refused.MessageText} ({refused.SqlState}). Check PalmLab:ConnectionString."
        : $"Cannot reach the PostgreSQL server at {database.Location}: {OneLine((e.InnerException ?? e).Message)} Start it, or correct Host and Port in PalmLab:ConnectionString.";

    private static string OneLine(string text)
    {
        var line = string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.EndsWith('.') ? line : line + ".";
    }
}
