using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PalmLab.Engine.Training;
using PalmLab.Tests.Support;
using PalmLab.Web.Data;

namespace PalmLab.Tests.Web;

/// <summary>
/// A migrated SQLite file in a temp folder (or a fresh PostgreSQL database), and runs (with epochs) added to it as the
/// runs list sees them.
/// </summary>
public sealed class RunListSeed : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDir _temp = new();
    private readonly PostgresDatabase? _postgres;

    public RunListSeed(DatabaseKind database = DatabaseKind.Sqlite)
    {
        _postgres = database == DatabaseKind.Postgres ? new PostgresDatabase() : null;
        // The factory the app uses, so each database gets the context type its migrations belong to.
        Provider = DatabaseProvider.Choose(_postgres?.ConnectionString, _temp.File("palmlab.db"));
        Factory = new PalmLabDbContextFactory(Provider.Options(), Provider);
        using var db = Factory.CreateDbContext();
        db.Database.Migrate();
    }

    public DatabaseProvider Provider { get; }

    public IDbContextFactory<PalmLabDbContext> Factory { get; }

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
        _postgres?.Dispose();
        _temp.Dispose();
    }
}
