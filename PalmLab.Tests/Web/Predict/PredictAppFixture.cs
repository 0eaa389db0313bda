using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalmLab.Engine.Training;
using PalmLab.Tests.Engine;
using PalmLab.Tests.Support;
using PalmLab.Web.Data;

namespace PalmLab.Tests.Web.Predict;

/// <summary>
/// The real app (request bound lowered to 40 MB so that two 25 MB files pass it) with three runs registered as the
/// worker would have left them, each with best and last checkpoints copied from one tiny checkpoint trained once:
/// "good" (completed, AUC 0.9), "fair" (completed, AUC 0.7) and "broken" (failed, AUC 0.99, never the default).
/// </summary>
public sealed class PredictAppFixture : IAsyncLifetime
{
    public const long MaxRequestBytes = 40L << 20;
    private readonly TrainingFixture _data = new();
    private readonly TempDir _checkpoints = new();

    public PalmLabAppFactory App { get; } = new(settings: new() { ["MaxPredictRequestBytes"] = MaxRequestBytes.ToString() });

    public HttpClient Client { get; private set; } = default!;

    public int Good { get; private set; }

    public int Fair { get; private set; }

    public int Broken { get; private set; }

    /// <summary>The trained checkpoint every row points at a copy of.</summary>
    public string Checkpoint { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Checkpoint = Trainer.Run(_data.Config.With(o => o with { Epochs = 1 }), _data.NewOutputDir()).LastCheckpoint;
        Client = App.CreateClient();
        Good = await AddRunAsync("good", RunStatus.Completed, 0.9);
        Fair = await AddRunAsync("fair", RunStatus.Completed, 0.7);
        Broken = await AddRunAsync("broken", RunStatus.Failed, 0.99);
    }

    public async Task<int> AddRunAsync(string name, RunStatus status, double auc)
    {
        var dbFactory = App.Services.GetRequiredService<IDbContextFactory<PalmLabDbContext>>();
        await using var db = await dbFactory.CreateDbContextAsync();
        var dataSet = await db.DataSets.SingleAsync(d => d.Name == "tiny");
        var run = new Run
        {
            Name = name,
            Status = status,
            DataSetId = dataSet.Id,
            Options = _data.Config.Options with { Epochs = 1 },
            CreatedAt = DateTimeOffset.UtcNow,
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        db.EpochMetrics.Add(new EpochMetric { RunId = run.Id, Epoch = 1, TrainLoss = 0.5, Auc = auc, Accuracy = auc - 0.1, IsBest = true });
        foreach (var kind in new[] { CheckpointKind.Best, CheckpointKind.Last })
        {
            var path = _checkpoints.File($"{name}-{kind}.pt");
            RunCheckpointCopies.CopyAsRunsOwn(Checkpoint, path, run.Uid);
            db.Checkpoints.Add(new RunCheckpoint { RunId = run.Id, Epoch = 1, Kind = kind, Path = path, SizeBytes = new FileInfo(path).Length, CreatedAt = DateTimeOffset.UtcNow });
        }
        await db.SaveChangesAsync();
        return run.Id;
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        _checkpoints.Dispose();
        _data.Dispose();
    }
}
