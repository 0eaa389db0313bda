using Microsoft.EntityFrameworkCore;
using Npgsql;
using PalmLab.Tests.Support;
using PalmLab.Web.Data;

namespace PalmLab.Tests.Web;

/// <summary>The run store on PostgreSQL: its migrations, the app choosing it, and a server that is not there.</summary>
public sealed class PostgresStoreTests
{
    [Fact]
    public async Task Migrate_EmptyPostgresDatabase_CreatesEveryTableAndIndexAndLeavesNothingPending()
    {
        using var postgres = new PostgresDatabase();
        var provider = DatabaseProvider.Choose(postgres.ConnectionString, "");
        await using var db = provider.CreateDbContext(provider.Options());

        await db.Database.MigrateAsync();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        var tables = await db.Database.SqlQueryRaw<string>("SELECT tablename AS \"Value\" FROM pg_tables WHERE schemaname = 'public'").ToListAsync();
        Assert.Superset(new HashSet<string> { "DataSets", "Runs", "BatchLosses", "EpochMetrics", "Checkpoints", "Sweeps", "SavedPresets" }, tables.ToHashSet());
        var indexes = await db.Database.SqlQueryRaw<string>("SELECT indexname AS \"Value\" FROM pg_indexes WHERE schemaname = 'public'").ToListAsync();
        Assert.Contains("IX_BatchLosses_RunId_Step", indexes);
        Assert.Contains("IX_Runs_Status_CreatedAt", indexes);
    }

    // A model change needs a migration in each set: `dotnet ef migrations add` once per context (DesignTimeDbContextFactory).
    [Theory]
    [InlineData("Data Source=unused.db")]
    [InlineData("Host=unused.example;Database=palmlab")]
    public void Migrations_EachDatabase_MatchTheModel(string connectionString)
    {
        var provider = DatabaseProvider.Choose(connectionString, "");
        using var db = provider.CreateDbContext(provider.Options());

        Assert.False(db.Database.HasPendingModelChanges(), $"the model has changes that no {provider.Kind} migration holds");
    }

    [Fact]
    public async Task App_ConnectionStringWithHost_KeepsItsDataInThatPostgresDatabase()
    {
        using var app = new PalmLabAppFactory(database: DatabaseKind.Postgres);

        // Start-up registers the "tiny" data set in the run store.
        app.CreateClient();

        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT "Name" FROM "DataSets" """, connection);
        Assert.Equal("tiny", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Startup_PostgresServerNotListening_ExitsWithOneLineNamingTheServerAndNoStackTrace()
    {
        using var temp = new TempDir();
        var port = WebProcess.FreePort(); // free: nothing listens there

        var (exitCode, stderr) = await WebProcess.RunUntilExitAsync(new Dictionary<string, string>
        {
            ["ConnectionString"] = $"Host=127.0.0.1;Port={port};Username=palmlab;Database=palmlab",
            ["CheckpointsDir"] = temp.Sub("checkpoints"),
            ["DataSetsDir"] = temp.Sub("datasets"),
        });

        Assert.Equal(1, exitCode);
        var error = Assert.Single(stderr.Split('\n'), line => line.StartsWith("error: ", StringComparison.Ordinal));
        Assert.StartsWith($"error: Cannot reach the PostgreSQL server at 127.0.0.1:{port} (database palmlab): ", error);
        Assert.DoesNotContain("   at ", stderr);
        Assert.DoesNotContain("Unhandled exception", stderr);
    }
}
