using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using PalmLab.Engine.Training;
using PalmLab.Tests.Support;
using PalmLab.Web.Data;

namespace PalmLab.Tests.Web;

/// <summary>A migrated SQLite file in a temp folder, and runs (with epochs) added to it as the runs list sees them.</summary>
public sealed class RunListSeed : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDir _temp = new();

    public RunListSeed()
    {
        Options = new DbContextOptionsBuilder<PalmLabDbContext>().UseSqlite($"Data Source={_temp.File("palmlab.db")}").Options;
        Factory = new PooledDbContextFactory<PalmLabDbContext>(Options);
        using var db = Factory.CreateDbContext();
        db.Database.Migrate();
    }

    public DbContextOptions<PalmLabDbContext> Options { get; }

    public PooledDbContextFactory<PalmLabDbContext> Factory { get; }

    public string Folder => _temp.Path;

    public DataSet NewDataSet(string name) => new() { Name = name, Path = _temp.Path, TrainDir = _temp.Sub(name), CreatedAt = Start };

    /// <summary>A run created <paramref name="minute"/> minutes after <see cref="Start"/>, with one epoch per AUC given.</summary>
    public static Run NewRun(DataSet dataSet, string name, int minute, RunStatus status = RunStatus.Completed, int depth = 18,
        string? tags = null, string? notes = null, params (double Auc, double Accuracy)[] epochs) => new()
    {
        Name = name,
        Status = status,
        DataSet = dataSet,
        Options = TrainingPresets.Quick with { Depth = depth },
        Tags = tags,
        Notes = notes,
        CreatedAt = Start.AddMinutes(minute),
        StartedAt = status == RunStatus.Queued ? null : Start.AddMinutes(minute),
        FinishedAt = status is RunStatus.Queued or RunStatus.Running ? null : Start.AddMinutes(minute + 1),
        EpochMetrics = [.. epochs.Select((e, i) => new EpochMetric { Epoch = i + 1, TrainLoss = 0.5, Auc = e.Auc, Accuracy = e.Accuracy })],
    };

    public async Task AddAsync(params Run[] runs)
    {
        await using var db = await Factory.CreateDbContextAsync();
        foreach (var run in runs)
        {
            // Runs share their data set object: attach it once, insert it only while it is new.
            if (run.DataSet is { Id: > 0 } existing) db.Attach(existing);
        }
        db.Runs.AddRange(runs);
        await db.SaveChangesAsync();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }
}
