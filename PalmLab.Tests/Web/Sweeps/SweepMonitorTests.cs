using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalmLab.Engine.Metrics;
using PalmLab.Engine.Sweeps;
using PalmLab.Engine.Training;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;
using PalmLab.Web.Sweeps;

namespace PalmLab.Tests.Web.Sweeps;

/// <summary>Median stopping in the worker, on made-up sweeps whose finished trials' curves are written by the test.</summary>
public class SweepMonitorTests : IDisposable
{
    private readonly PalmLabAppFactory _app = new();
    private readonly HttpClient _client;

    public SweepMonitorTests() => _client = _app.CreateClient();

    public void Dispose() => _app.Dispose();

    private T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    [Fact]
    public async Task ApplyMedianStopping_TrialBelowTheMedianOfFinishedTrials_IsStoppedWithTheReasonAndOthersGoOn()
    {
        var (sweepId, running) = await SeedSweepAsync(finishedAucs: [0.95, 0.97, 0.99], epoch: 2, runningTrials: 2);
        var liveRuns = Service<LiveRuns>();
        using var losing = Track(liveRuns, running[0]);
        using var winning = Track(liveRuns, running[1]);
        var monitor = Service<SweepMonitor>();

        var tooEarly = await monitor.ApplyMedianStoppingAsync(running[0], Epoch(1, 5, auc: 0.5), null, CancellationToken.None);
        var lastEpoch = await monitor.ApplyMedianStoppingAsync(running[0], Epoch(5, 5, auc: 0.5), null, CancellationToken.None);
        var above = await monitor.ApplyMedianStoppingAsync(running[1], Epoch(2, 5, auc: 0.98), null, CancellationToken.None);
        Assert.False(losing.IsCancellationRequested);
        var stopped = await monitor.ApplyMedianStoppingAsync(running[0], Epoch(2, 5, auc: 0.9), null, CancellationToken.None);

        Assert.Null(tooEarly);
        Assert.Null(lastEpoch);
        Assert.Null(above);
        Assert.Equal("Stopped early: AUC 0.9 below the median 0.97 of 3 finished trials at epoch 2.", stopped);
        Assert.True(losing.IsCancellationRequested);
        Assert.False(winning.IsCancellationRequested);
        Assert.Equal(stopped, liveRuns.StopReason(running[0]));
        Assert.True(sweepId > 0);
    }

    [Fact]
    public async Task Worker_TrialBelowTheMedian_EndsStoppedWithItsReasonKeepingItsFirstEpochAndTheSweepCompletes()
    {
        // The made-up finished trials score above any AUC a model can reach, so the tiny trial is below their median
        // whatever it learns: the decision does not depend on training.
        var (sweepId, running) = await SeedSweepAsync(finishedAucs: [1.5, 1.5], epoch: 1, runningTrials: 1, queue: true);

        var run = await _client.WaitForAsync(running[0], RunStatus.Stopped, RunStatus.Completed, RunStatus.Failed, RunStatus.Cancelled);

        Assert.True(run.Status == RunStatus.Stopped, $"{run.Status}: {run.ErrorMessage}");
        Assert.StartsWith("Stopped early: AUC ", run.ErrorMessage);
        Assert.EndsWith(" below the median 1.5 of 2 finished trials at epoch 1.", run.ErrorMessage);
        Assert.Equal([1], run.Epochs!.Select(e => e.Epoch));
        await Support.Wait.UntilAsync(async () =>
        {
            await using var db = await Service<IDbContextFactory<PalmLabDbContext>>().CreateDbContextAsync();
            return (await db.Sweeps.SingleAsync(s => s.Id == sweepId)).Status == SweepStatus.Completed;
        }, $"sweep {sweepId} was not marked Completed after its last trial ended");
    }

    private static CancellationTokenSource Track(LiveRuns liveRuns, int runId)
    {
        var cancel = new CancellationTokenSource();
        liveRuns.Add(runId, new LiveRun(cancel));
        return cancel;
    }

    private static EpochResult Epoch(int epoch, int epochs, double auc) =>
        new(epoch, epochs, 0.5, 0.5, new BinaryMetrics(4, 0.5, 0.75, auc, 0.5, 1, 1, 0.6, new ConfusionMatrix(2, 0, 1, 1), []), 0.01, 1, 10, false);

    // A sweep (AUC, median stopping from epoch 1 with 2 finished trials) with finished trials whose AUC at `epoch` is
    // given, and trials still to train: Running rows, or one Queued row the worker takes when `queue` is set.
    private async Task<(int SweepId, List<int> Running)> SeedSweepAsync(double[] finishedAucs, int epoch, int runningTrials, bool queue = false)
    {
        await using var db = await Service<IDbContextFactory<PalmLabDbContext>>().CreateDbContextAsync();
        var tiny = await db.DataSets.SingleAsync(d => d.Name == "tiny");
        var options = TrainingPresets.Quick with { Depth = 18, ImageSize = 32, BatchSize = 4, Epochs = 3, Holdout = 0.2 };
        var sweep = new Sweep
        {
            Name = "made up", DataSetId = tiny.Id, SpaceJson = """{"learningRate": [0.01, 0.02]}""", Metric = SweepMetric.Auc,
            StopMinEpochs = 1, StopMinCompletedTrials = 2, Status = SweepStatus.Running, CreatedAt = DateTimeOffset.UtcNow, TrialCount = finishedAucs.Length + runningTrials,
        };
        db.Sweeps.Add(sweep);
        await db.SaveChangesAsync();
        foreach (var auc in finishedAucs)
        {
            var finished = new Run { Name = "finished", Status = RunStatus.Completed, DataSetId = tiny.Id, Options = options, SweepId = sweep.Id, CreatedAt = DateTimeOffset.UtcNow };
            finished.EpochMetrics.Add(new EpochMetric { Epoch = epoch, TrainLoss = 0.5, Auc = auc, Accuracy = 0.5 });
            db.Runs.Add(finished);
        }
        var running = Enumerable.Range(0, runningTrials).Select(_ => new Run
        {
            Name = "to train", Status = queue ? RunStatus.Queued : RunStatus.Running, DataSetId = tiny.Id, Options = options, SweepId = sweep.Id, CreatedAt = DateTimeOffset.UtcNow,
        }).ToList();
        db.Runs.AddRange(running);
        await db.SaveChangesAsync();
        Service<RunSignal>().Wake();
        return (sweep.Id, running.Select(r => r.Id).ToList());
    }
}
