using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PalmLab.Tests.Support;
using PalmLab.Web.Data;

namespace PalmLab.Tests.Web;

public class DatabaseTests
{
    [Fact]
    public async Task Migrate_EmptyFile_CreatesEveryTableAndLeavesNothingPending()
    {
        using var temp = new TempDir();
        var options = new DbContextOptionsBuilder<PalmLabDbContext>().UseSqlite($"Data Source={temp.File("new.db")}").Options;
        await using var db = new PalmLabDbContext(options);

        await db.Database.MigrateAsync();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        var tables = await db.Database.SqlQueryRaw<string>("SELECT name AS Value FROM sqlite_master WHERE type = 'table'").ToListAsync();
        Assert.Superset(new HashSet<string> { "DataSets", "Runs", "BatchLosses", "EpochMetrics", "Checkpoints" }, tables.ToHashSet());
        var indexes = await db.Database.SqlQueryRaw<string>("SELECT name AS Value FROM sqlite_master WHERE type = 'index'").ToListAsync();
        Assert.Contains("IX_BatchLosses_RunId_Step", indexes);
        Assert.Contains("IX_Runs_Status_CreatedAt", indexes);
    }

    [Fact]
    public async Task Startup_DatabaseLockedByAnotherProcess_FailsWithAClearMessage()
    {
        using var app = new PalmLabAppFactory();
        await using (var setup = new PalmLabDbContext(new DbContextOptionsBuilder<PalmLabDbContext>().UseSqlite($"Data Source={app.DatabasePath}").Options))
        {
            await setup.Database.MigrateAsync();
        }
        await using var other = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False");
        await other.OpenAsync();
        await using (var command = other.CreateCommand())
        {
            command.CommandText = "BEGIN EXCLUSIVE";
            await command.ExecuteNonQueryAsync();
        }

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var message = Flatten(error);
        Assert.Contains("is locked by another process", message);
        Assert.Contains(app.DatabasePath, message);
    }

    private static string Flatten(Exception e) => e.InnerException is null ? e.Message : e.Message + " | " + Flatten(e.InnerException);
}
