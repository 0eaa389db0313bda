using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PalmLab.Engine.Training;
using PalmLab.Web.Data;

namespace PalmLab.Bench;

/// <summary>
/// Fills a new database, made by the app's own migrations, with runs as the dashboard stores them: runs through EF (their
/// options are a column each, mapped by EF), their epochs and batch losses with prepared raw SQL in one transaction.
/// No run is queued or running: the app's worker would pick a queued one up and the start-up marks running ones Interrupted.
/// </summary>
public static class ScaleSeed
{
    public const int EpochsPerRun = 10;
    public const int BigRunPoints = 100_000;
    private const int Folds = 5;
    private const int StepsPerEpoch = 100;
    private const int ValidationImages = 400;

    private static readonly string[] DataSetNames = ["palm-400", "palm-400-224", "demo"];
    private static readonly string[] Tags = ["baseline", "augment", "lr", "deeper", "final", "sweep", "wd", "warmup"];
    private static readonly string[] Topics = ["baseline", "lr sweep", "more augmentation", "deeper net", "smaller images", "cosine schedule", "warm-up", "weight decay"];

    /// <summary>Creates <paramref name="databasePath"/> and returns the seeded runs (ids in creation order).</summary>
    public static async Task<ScaleData> CreateAsync(string databasePath, int runCount, int lossCount, CancellationToken ct)
    {
        var random = new Random(42);
        var options = new DbContextOptionsBuilder<PalmLabDbContext>().UseSqlite($"Data Source={databasePath}").Options;
        await using (var db = new PalmLabDbContext(options))
        {
            await db.Database.MigrateAsync(ct);
            db.DataSets.AddRange(DataSetNames.Select(name => new DataSet
            {
                Name = name,
                Path = Path.Combine(Path.GetDirectoryName(databasePath)!, "missing", name),
                TrainDir = Path.Combine(Path.GetDirectoryName(databasePath)!, "missing", name, "train"),
                ValidDir = Path.Combine(Path.GetDirectoryName(databasePath)!, "missing", name, "valid"),
                TrainImages = 400,
                ValidationImages = ValidationImages,
                CreatedAt = DateTimeOffset.UtcNow.AddYears(-1),
            }));
            await db.SaveChangesAsync(ct);
        }

        var runs = MakeRuns(runCount, random);
        // Fresh contexts per chunk: EF's change tracker slows down as it fills.
        foreach (var chunk in runs.Chunk(2000))
        {
            await using var db = new PalmLabDbContext(options);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.Runs.AddRange(chunk);
            await db.SaveChangesAsync(ct);
        }

        var seeded = runs.Select(r => new SeededRun(r.Id, r.Name, r.Status, r.Options.Folds, EpochsDone(r, random))).ToList();
        var big = seeded.Last(r => r.Status == RunStatus.Completed && r.Folds is null);
        var epochRows = 0;
        var lossRows = 0;
        var bigPoints = Math.Min(lossCount, BigRunPoints);
        await using (var connection = new SqliteConnection($"Data Source={databasePath}"))
        {
            await connection.OpenAsync(ct);
            await using (var pragma = connection.CreateCommand())
            {
                // Only for the seeding connection: a crash here loses nothing worth keeping.
                pragma.CommandText = "PRAGMA synchronous = OFF";
                await pragma.ExecuteNonQueryAsync(ct);
            }
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
            epochRows = InsertEpochs(connection, transaction, seeded, random);
            lossRows = InsertLosses(connection, transaction, seeded, big, bigPoints, lossCount, random);
            await transaction.CommitAsync(ct);
        }
        SqliteConnection.ClearAllPools();
        return new ScaleData(seeded, big, bigPoints, epochRows, lossRows);
    }

    private static List<Run> MakeRuns(int count, Random random)
    {
        var presets = TrainingPresets.All.Values.ToList();
        var start = DateTimeOffset.UtcNow.AddDays(-365);
        var spacing = TimeSpan.FromDays(364) / Math.Max(1, count);
        var runs = new List<Run>(count);
        for (var i = 0; i < count; i++)
        {
            var folds = random.NextDouble() < 0.05 ? Folds : (int?)null;
            var status = folds is not null ? RunStatus.Completed : random.NextDouble() switch
            {
                < 0.75 => RunStatus.Completed,
                < 0.83 => RunStatus.Failed,
                < 0.90 => RunStatus.Cancelled,
                < 0.95 => RunStatus.Interrupted,
                _ => RunStatus.Stopped,
            };
            var preset = presets[random.Next(presets.Count)];
            var runOptions = preset with
            {
                Epochs = EpochsPerRun,
                Folds = folds,
                Holdout = null,
                LearningRate = Math.Round(preset.LearningRate * (0.5 + random.NextDouble()), 5),
                Seed = random.Next(1000),
            };
            var created = start + spacing * i;
            var topic = Topics[random.Next(Topics.Length)];
            runs.Add(new Run
            {
                Name = $"{topic} {i + 1:D5} · ResNet-{runOptions.Depth} {runOptions.ImageSize}px",
                Status = status,
                DataSetId = 1 + random.Next(DataSetNames.Length),
                Options = runOptions,
                Device = "cpu",
                ErrorMessage = status switch
                {
                    RunStatus.Failed => "The loss became NaN: lower the learning rate.",
                    RunStatus.Interrupted => "PalmLab stopped while this run was training; resume it to continue from its last checkpoint.",
                    RunStatus.Stopped => "Stopped early: its validation AUC was below the median of the completed trials.",
                    _ => null,
                },
                Notes = random.NextDouble() < 0.3 ? $"Trying {topic} with learning rate {runOptions.LearningRate.ToString(CultureInfo.InvariantCulture)}." : null,
                Tags = random.NextDouble() < 0.6
                    ? string.Join(",", Enumerable.Range(0, 1 + random.Next(3)).Select(_ => Tags[random.Next(Tags.Length)]).Distinct())
                    : null,
                CreatedAt = created,
                StartedAt = created.AddMinutes(1),
                FinishedAt = created.AddMinutes(1 + 2 * EpochsPerRun * (folds ?? 1)),
            });
        }
        return runs;
    }

    private static int EpochsDone(Run run, Random random) => run.Status switch
    {
        RunStatus.Completed => EpochsPerRun,
        RunStatus.Stopped => 3 + random.Next(4),
        _ => random.Next(EpochsPerRun),
    };

    private static int InsertEpochs(SqliteConnection connection, SqliteTransaction transaction, List<SeededRun> runs, Random random)
    {
        string[] columns =
        [
            "RunId", "Fold", "Epoch", "TrainLoss", "ValidationLoss", "Accuracy", "Auc", "Sensitivity", "Specificity", "Precision", "F1",
            "TrueNegatives", "FalsePositives", "FalseNegatives", "TruePositives", "RocJson", "LearningRate", "Seconds", "ImagesPerSecond", "IsBest",
        ];
        using var insert = Prepare(connection, transaction, "EpochMetrics", columns);
        var rows = 0;
        foreach (var run in runs)
        {
            foreach (var fold in run.Folds is { } k ? Enumerable.Range(1, k).Select(f => (int?)f) : [null])
            {
                var skill = 0.75 + 0.2 * random.NextDouble();
                var bestAuc = double.MinValue;
                var bestEpoch = 0;
                var epochs = new List<object?[]>();
                for (var epoch = 1; epoch <= run.EpochsDone; epoch++)
                {
                    var progress = (double)epoch / EpochsPerRun;
                    var auc = Math.Min(0.999, skill * (0.8 + 0.2 * progress) + 0.02 * random.NextDouble());
                    var positives = 160;
                    var tp = (int)(positives * (auc - 0.05 * random.NextDouble()));
                    var tn = (int)((ValidationImages - positives) * (auc - 0.05 * random.NextDouble()));
                    int fn = positives - tp, fp = ValidationImages - positives - tn;
                    double accuracy = (tp + tn) / (double)ValidationImages, sensitivity = tp / (double)positives, specificity = tn / (double)(tn + fp);
                    var precision = tp / (double)Math.Max(1, tp + fp);
                    if (auc > bestAuc)
                    {
                        (bestAuc, bestEpoch) = (auc, epoch);
                    }
                    epochs.Add([
                        run.Id, fold, epoch, 0.7 * Math.Exp(-2 * progress) + 0.1, 0.75 * Math.Exp(-1.8 * progress) + 0.15, accuracy, auc,
                        sensitivity, specificity, precision, 2 * precision * sensitivity / Math.Max(1e-9, precision + sensitivity),
                        tn, fp, fn, tp, Roc(auc), 0.005 * (1 - progress), 110 + 10 * random.NextDouble(), 3.5, false,
                    ]);
                }
                foreach (var values in epochs)
                {
                    values[^1] = (int)values[2]! == bestEpoch;
                    Execute(insert, values);
                    rows++;
                }
            }
        }
        return rows;
    }

    // A real ROC curve has a point per distinct validation score; about 25 keeps the rows realistic but the file small.
    private static string Roc(double auc)
    {
        var text = new StringBuilder("[");
        for (var i = 0; i <= 24; i++)
        {
            var fpr = i / 24.0;
            var tpr = Math.Pow(fpr, (1 - auc) / Math.Max(0.001, auc));
            text.Append(CultureInfo.InvariantCulture, $"{(i > 0 ? "," : "")}{{\"FalsePositiveRate\":{fpr:0.####},\"TruePositiveRate\":{tpr:0.####},\"Threshold\":{1 - fpr:0.####}}}");
        }
        return text.Append(']').ToString();
    }

    // The big run gets its 100,000 points; the rest go to the newest runs that have epochs, 100 steps an epoch, until used up.
    private static int InsertLosses(SqliteConnection connection, SqliteTransaction transaction, List<SeededRun> runs, SeededRun big, int bigPoints, int total, Random random)
    {
        using var insert = Prepare(connection, transaction, "BatchLosses", ["RunId", "Step", "Epoch", "Fold", "Loss", "LearningRate"]);
        var rows = InsertCurve(insert, big.Id, bigPoints, bigPoints / EpochsPerRun, random);
        foreach (var run in Enumerable.Reverse(runs).Where(r => r.Id != big.Id && r.Folds is null && r.EpochsDone > 0))
        {
            if (rows >= total)
            {
                break;
            }
            rows += InsertCurve(insert, run.Id, Math.Min(total - rows, run.EpochsDone * StepsPerEpoch), StepsPerEpoch, random);
        }
        return rows;
    }

    private static int InsertCurve(SqliteCommand insert, int runId, int points, int perEpoch, Random random)
    {
        for (var step = 1; step <= points; step++)
        {
            var progress = (double)step / points;
            var loss = 0.7 * Math.Exp(-3 * progress) + 0.1 + 0.15 * random.NextDouble() * (1 - 0.5 * progress);
            Execute(insert, [runId, (long)step, 1 + (step - 1) / Math.Max(1, perEpoch), null, loss, 0.005 * (1 - progress) + 0.0001]);
        }
        return points;
    }

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, string table, string[] columns)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))})";
        for (var i = 0; i < columns.Length; i++)
        {
            command.Parameters.Add(new SqliteParameter("$p" + i, null));
        }
        command.Prepare();
        return command;
    }

    private static void Execute(SqliteCommand command, object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
        command.ExecuteNonQuery();
    }
}
