using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using PalmLab.Engine.Training;
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

    [Fact]
    public async Task Migrate_DatabaseOfTheFirstRelease_KeepsEveryRunsOptions()
    {
        using var temp = new TempDir();
        var options = new DbContextOptionsBuilder<PalmLabDbContext>().UseSqlite($"Data Source={temp.File("old.db")}").Options;
        await using (var old = new PalmLabDbContext(options))
        {
            await old.GetService<IMigrator>().MigrateAsync("20261127193034_InitialRuns");
            await old.Database.ExecuteSqlRawAsync("""
                INSERT INTO DataSets (Id, Name, Path, TrainDir, TrainImages, ValidationImages, CreatedAt) VALUES (1, 'palm', '/d', '/d/t', 400, 0, 0);
                INSERT INTO Runs (Id, Name, Status, DataSetId, Holdout, Depth, Epochs, BatchSize, ImageSize, Schedule, LearningRate, EndLearningRate,
                    Power, DecaySteps, StepSize, Gamma, WarmupSteps, Momentum, WeightDecay, Seed, Threshold, AugmentFlip, AugmentRotation,
                    Notes, Tags, ResumeRequested, CreatedAt)
                VALUES (7, 'old run', 'Completed', 1, 0.2, 34, 12, 8, 96, 'Cosine', 0.01, 0.0005, 2, 300, NULL, 0.1, 5, 0.8, 0.0001, 3, 0.4, 1, 15,
                    'notes', ' a, b ,c ', 0, 1700000000000);
                """);
        }

        await using var db = new PalmLabDbContext(options);
        await db.Database.MigrateAsync();

        var run = await db.Runs.SingleAsync(r => r.Id == 7);
        Assert.Equal(new TrainingOptions
        {
            Holdout = 0.2, Depth = 34, Epochs = 12, BatchSize = 8, ImageSize = 96, Schedule = LrScheduleKind.Cosine, LearningRate = 0.01,
            EndLearningRate = 0.0005, Power = 2, DecaySteps = 300, StepSize = null, Gamma = 0.1, WarmupSteps = 5, Momentum = 0.8,
            WeightDecay = 0.0001, Seed = 3, Threshold = 0.4, AugmentFlip = true, AugmentRotation = 15,
        }, run.Options);
        Assert.Equal(("old run", "notes", "a,b,c"), (run.Name, run.Notes, run.Tags));
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task Migrate_RunsFromBeforeIdentities_EachGetsAnIdentityOfItsOwnThatQueriesFind()
    {
        using var temp = new TempDir();
        var options = new DbContextOptionsBuilder<PalmLabDbContext>().UseSqlite($"Data Source={temp.File("old.db")}").Options;
        await using (var old = new PalmLabDbContext(options))
        {
            await old.GetService<IMigrator>().MigrateAsync("20261127193034_InitialRuns");
            await old.Database.ExecuteSqlRawAsync("INSERT INTO DataSets (Id, Name, Path, TrainDir, TrainImages, ValidationImages, CreatedAt) VALUES (1, 'palm', '/d', '/d/t', 400, 0, 0);");
            foreach (var id in new[] { 7, 8, 9 })
            {
                await old.Database.ExecuteSqlAsync($"""
                    INSERT INTO Runs (Id, Name, Status, DataSetId, Holdout, Depth, Epochs, BatchSize, ImageSize, Schedule, LearningRate, EndLearningRate,
                        Power, DecaySteps, StepSize, Gamma, WarmupSteps, Momentum, WeightDecay, Seed, Threshold, AugmentFlip, AugmentRotation,
                        Notes, Tags, ResumeRequested, CreatedAt)
                    VALUES ({id}, 'old run', 'Completed', 1, 0.2, 18, 12, 8, 96, 'Cosine', 0.01, 0.0005, 2, 300, NULL, 0.1, 5, 0.8, 0.0001, 3, 0.4, 1, 15,
                        NULL, NULL, 0, 1700000000000);
                    """);
            }
        }

        await using var db = new PalmLabDbContext(options);
        await db.Database.MigrateAsync();

        var uids = await db.Runs.OrderBy(r => r.Id).Select(r => r.Uid).ToListAsync();
        Assert.Equal(3, uids.Distinct().Count());
        Assert.DoesNotContain(Guid.Empty, uids);
        Assert.All(uids, uid => Assert.Equal(4, uid.Version));
        Assert.Equal(8, await db.Runs.Where(r => r.Uid == uids[1]).Select(r => r.Id).SingleAsync());
    }

    private static string Flatten(Exception e) => e.InnerException is null ? e.Message : e.Message + " | " + Flatten(e.InnerException);
}
