using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using PalmLab.Web.Data;
using PalmLab.Web.DataSets;
using PalmLab.Web.Executors;
using PalmLab.Web.Health;
using PalmLab.Web.Options;
using PalmLab.Web.Runs;

namespace PalmLab.Web.Extensions;

public static class DatabaseStartup
{
    /// <summary>
    /// Before the app serves anything: applies migrations, lets the executor find the runs whose training process outlived
    /// the last dashboard (a local child, a Slurm job: followed again), marks this dashboard's other running runs
    /// Interrupted, and other dashboards' runs whose lease has passed (<see cref="RunRecovery"/>), moves aside checkpoint
    /// folders that no run owns, generates the demo data set on a first start, and registers the data sets found on disk.
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
        Directory.CreateDirectory(options.BackbonesDir);

        var dbFactory = app.Services.GetRequiredService<IDbContextFactory<PalmLabDbContext>>();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        try
        {
            if (database.Kind == DatabaseKind.Postgres)
            {
                await PreparePostgresDatabaseAsync(db, cancellationToken);
            }
            await db.Database.MigrateAsync(cancellationToken);
            // Runs whose training process outlived the last dashboard go on (the executor follows them again); this
            // dashboard's others are Interrupted, and other dashboards' whose lease has passed: a live dashboard's go on.
            var stillTraining = await app.Services.GetRequiredService<IRunExecutor>().RecoverAsync(cancellationToken);
            await app.Services.GetRequiredService<RunRecovery>().RecoverAsync(stillTraining, cancellationToken);
            // Before any run trains: a folder no run of this database owns is moved aside, never adopted by a new run.
            await OrphanFolders.SweepAsync(db, options.CheckpointsDir, app.Logger, cancellationToken);
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

    // A first start must not look broken. The migrator finds a missing database by opening a connection to it, and EF
    // logs that refusal as an error (Database.Connection[20004]) before the migrator creates the database; then it
    // reads the history table before creating it, and logs that failure too (Database.Command[20102], a known
    // spurious message: npgsql/efcore.pg#3407). A plain Npgsql connection logs nothing: ask with one first, create the
    // database as the migrator would, and create the history table before the migrator reads it.
    private static async Task PreparePostgresDatabaseAsync(PalmLabDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(db.Database.GetConnectionString());
            await connection.OpenAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            await db.GetService<IRelationalDatabaseCreator>().CreateAsync(cancellationToken);
        }
        await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
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
