using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalmLab.Engine.Training;
using PalmLab.Tests.Engine;
using PalmLab.Tests.Support;
using PalmLab.Web.Data;

namespace PalmLab.Tests.Web.Predict;

/// <summary>
/// The real app with runs as a cross-validating worker leaves them: "cv" (2 folds, each fold's best checkpoint at
/// CheckpointsDir/run-{id}/fold-{k}/best.ckpt, two tiny models trained with different seeds), "cv-unfinished" (3 folds,
/// only fold 1 written) and "plain" (no folds, a best checkpoint registered as usual).
/// </summary>
public sealed class EnsembleAppFixture : IAsyncLifetime
{
    private readonly TrainingFixture _data = new();

    public PalmLabAppFactory App { get; } = new();

    public HttpClient Client { get; private set; } = default!;

    /// <summary>Fold 1's and fold 2's checkpoints of <see cref="CrossValidated"/>.</summary>
    public IReadOnlyList<string> Folds { get; private set; } = [];

    public int CrossValidated { get; private set; }

    public int Unfinished { get; private set; }

    public int Plain { get; private set; }

    /// <summary>A 2-fold run whose fold files are three bytes each: unreadable.</summary>
    public int Corrupt { get; private set; }

    public async Task InitializeAsync()
    {
        // A small learning rate keeps the probabilities away from 0 and 1, so the two folds' differ.
        var models = new[] { 1, 2 }.Select(seed => Trainer.Run(
            _data.Config.With(o => o with { Epochs = 1, Seed = seed, LearningRate = 1e-4, EndLearningRate = 1e-5 }), _data.NewOutputDir()).LastCheckpoint).ToList();
        Client = App.CreateClient();
        CrossValidated = await AddRunAsync("cv", 2, models);
        Unfinished = await AddRunAsync("cv-unfinished", 3, models[..1]);
        Plain = await AddRunAsync("plain", null, []);
        Corrupt = await AddRunAsync("cv-corrupt", 2, models);
        foreach (var k in new[] { 1, 2 })
        {
            await File.WriteAllBytesAsync(FoldPath(Corrupt, k), [1, 2, 3]);
        }
        Folds = new[] { 1, 2 }.Select(k => FoldPath(CrossValidated, k)).ToList();
        var best = Path.Combine(App.CheckpointsDir, "plain-best.ckpt");
        await using var db = await DbAsync();
        RunCheckpointCopies.CopyAsRunsOwn(models[0], best, (await db.Runs.SingleAsync(r => r.Id == Plain)).Uid);
        db.Checkpoints.Add(new RunCheckpoint { RunId = Plain, Epoch = 1, Kind = CheckpointKind.Best, Path = best, SizeBytes = new FileInfo(best).Length, CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        _data.Dispose();
    }

    private string FoldPath(int runId, int fold) => Path.Combine(App.CheckpointsDir, $"run-{runId}", $"fold-{fold}", "best.ckpt");

    private async Task<int> AddRunAsync(string name, int? folds, IReadOnlyList<string> foldModels)
    {
        await using var db = await DbAsync();
        var dataSet = await db.DataSets.SingleAsync(d => d.Name == "tiny");
        var run = new Run
        {
            Name = name,
            Status = RunStatus.Completed,
            DataSetId = dataSet.Id,
            Options = _data.Config.Options with { Epochs = 1, Folds = folds },
            CreatedAt = DateTimeOffset.UtcNow,
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        for (var k = 1; k <= foldModels.Count; k++)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FoldPath(run.Id, k))!);
            RunCheckpointCopies.CopyAsRunsOwn(foldModels[k - 1], FoldPath(run.Id, k), run.Uid);
            // As the worker registers them: one best checkpoint per fold.
            db.Checkpoints.Add(new RunCheckpoint
            {
                RunId = run.Id, Fold = k, Epoch = 1, Kind = CheckpointKind.Best, Path = FoldPath(run.Id, k),
                SizeBytes = new FileInfo(FoldPath(run.Id, k)).Length, CreatedAt = DateTimeOffset.UtcNow,
            });
        }
        await db.SaveChangesAsync();
        return run.Id;
    }

    private Task<PalmLabDbContext> DbAsync() => App.Services.GetRequiredService<IDbContextFactory<PalmLabDbContext>>().CreateDbContextAsync();
}
