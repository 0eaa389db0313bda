using PalmLab.Engine;
using PalmLab.Engine.Sweeps;
using PalmLab.Engine.Training;
using Xunit.Abstractions;

namespace PalmLab.Tests.Engine.Sweeps;

public class SweepRunnerTests(TrainingFixture data, ITestOutputHelper log) : IClassFixture<TrainingFixture>
{
    [Fact]
    public void Run_MedianStopping_StopsExactlyTheTrialsTheRuleStopsAndKeepsTheirEpochs()
    {
        var output = data.NewOutputDir();
        var (space, errors) = SweepSpace.Parse("""{"lr": [0.0001, 0.0003, 0.003]}""");
        Assert.Empty(errors);
        var rule = new MedianStopping(MinEpochs: 1, MinCompletedTrials: 1);
        var spec = new SweepSpec { Base = data.Config.Options with { Epochs = 3, EndLearningRate = 0 }, Space = space, Stopping = rule };
        var started = new List<int>();

        var result = SweepRunner.Run(spec, data.Config, output, new SweepHooks(TrialStarted: t => started.Add(t.Number)));

        Assert.Equal([1, 2, 3], started);
        Assert.Equal([1, 2, 3], result.Trials.Select(t => t.Number));
        Assert.Equal(SweepTrialStatus.Completed, result.Trials[0].Status);
        // Replay the rule on the recorded curves: each trial must have stopped at the first point where it lost, or never.
        for (var i = 0; i < result.Trials.Count; i++)
        {
            var trial = result.Trials[i];
            log.WriteLine($"trial {trial.Number}: {trial.Status} {string.Join(", ", trial.Points.Select(p => p.Value))}");
            var completed = result.Trials.Take(i).Where(t => t.Status == SweepTrialStatus.Completed)
                .Select(t => (IReadOnlyDictionary<SweepPoint, double>)t.Points.ToDictionary(p => new SweepPoint(p.Fold, p.Epoch), p => p.Value!.Value))
                .ToList();
            var expectedStop = trial.Points
                .Where(p => p.Epoch < 3 && rule.ShouldStop(completed, new SweepPoint(p.Fold, p.Epoch), p.Value!.Value))
                .Select(p => (SweepPoint?)new SweepPoint(p.Fold, p.Epoch))
                .FirstOrDefault();
            Assert.Equal(expectedStop, trial.StoppedAt);
            Assert.Equal(expectedStop is null ? SweepTrialStatus.Completed : SweepTrialStatus.StoppedEarly, trial.Status);
            // A stopped trial keeps the epochs it finished, and its checkpoint.
            Assert.Equal(expectedStop?.Epoch ?? 3, trial.Epochs.Count);
            Assert.Equal(trial.Points[^1].Value, trial.Metric!.Mean);
            Assert.True(File.Exists(Path.Combine(output, trial.Folder, Trainer.LastCheckpointName)));
        }
        // Seeded CPU training repeats exactly (as resuming relies on). This data set's validation AUC moves in steps of a
        // quarter, so which rates tie is chaotic: these were picked because trial 1 leads at epoch 2 (1 against 0.5) with
        // the stem channels-last and without it, and the others stop there in both. (The earlier rates, 0.02, 0.05 and
        // 0.0001 over 2 epochs, tied at epoch 1 once the stem ran channels-last, and the rule rightly stopped none.)
        Assert.Contains(result.Trials, t => t.Status == SweepTrialStatus.StoppedEarly);
        var written = SweepJson.Read(Path.Combine(output, SweepJson.FileName));
        Assert.Equal(result.Trials.Select(t => (t.Status, t.Metric)), written.Trials.Select(t => (t.Status, t.Metric)));
        Assert.Equal(result.BestTrial, written.BestTrial);
        Assert.Equal(result.Ranked[0].Number, result.BestTrial);
    }

    [Fact]
    public void Run_TrialTheTrainerRefuses_IsFailedAndTheSweepGoesOn()
    {
        var output = data.NewOutputDir();
        // A batch larger than the 20 training images is refused by the trainer once it has read the data.
        var (space, _) = SweepSpace.Parse("""{"batchSize": [64, 6]}""");
        var spec = new SweepSpec { Base = data.Config.Options with { Epochs = 1 }, Space = space, Stopping = null };

        var result = SweepRunner.Run(spec, data.Config, output);

        var (failed, completed) = (result.Trials[0], result.Trials[1]);
        Assert.Equal(SweepTrialStatus.Failed, failed.Status);
        Assert.Contains("batch-size: 64 is larger than the 20 training images", failed.Message);
        Assert.Null(failed.Metric);
        Assert.Equal(SweepTrialStatus.Completed, completed.Status);
        Assert.Equal([2, 1], result.Ranked.Select(t => t.Number));
        Assert.Equal(2, result.BestTrial);
    }

    [Fact]
    public void Run_CancelledBeforeStart_RunsNothingAndSaysSo()
    {
        var output = data.NewOutputDir();
        var (space, _) = SweepSpace.Parse("""{"depth": [18]}""");

        var result = SweepRunner.Run(new SweepSpec { Base = data.Config.Options, Space = space }, data.Config, output, null, new CancellationToken(true));

        Assert.True(result.Cancelled);
        Assert.Empty(result.Trials);
        Assert.True(SweepJson.Read(Path.Combine(output, SweepJson.FileName)).Cancelled);
    }

    [Fact]
    public void Run_MissingTrainingFolder_RefusedBeforeAnyTrial()
    {
        var (space, _) = SweepSpace.Parse("""{"depth": [18]}""");
        var output = data.NewOutputDir();

        var error = Assert.Throws<PalmLabException>(() =>
            SweepRunner.Run(new SweepSpec { Base = data.Config.Options, Space = space }, data.Config with { TrainDir = "/nonexistent" }, output));

        Assert.Contains("/nonexistent", error.Message);
        Assert.False(Directory.Exists(SweepRunner.TrialFolder(output, 1)));
    }
}
