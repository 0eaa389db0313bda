using System.Diagnostics;
using PalmLab.Engine.Data;
using PalmLab.Engine.Training;

namespace PalmLab.Engine.Sweeps;

/// <summary>
/// Runs a sweep headless, in-process: each trial in turn into OUT/trial-N/ (cross-validated into OUT/trial-N/fold-K/
/// when it has folds), applying <see cref="MedianStopping"/> after every epoch, and rewriting OUT/sweep.json after each
/// trial, so a sweep that is stopped keeps its finished trials.
/// </summary>
public static class SweepRunner
{
    public static string TrialFolder(string outputDir, int trial) => Path.Combine(outputDir, $"trial-{trial}");

    /// <summary>
    /// Runs every trial of <paramref name="spec"/> on the folders and hardware of <paramref name="data"/> (its options
    /// are replaced by each trial's). A trial that fails (diverges, for one) is recorded as failed and the sweep goes on.
    /// Cancelling stops the running trial (recorded as cancelled) and returns with <see cref="SweepResult.Cancelled"/>.
    /// </summary>
    /// <exception cref="PalmLabException">The sweep, folders or data cannot be used; nothing has trained.</exception>
    public static SweepResult Run(
        SweepSpec spec, TrainingConfig data, string outputDir, SweepHooks? hooks = null, CancellationToken cancellationToken = default)
    {
        var trials = spec.Trials();
        CheckData(trials, data, cancellationToken);
        hooks ??= new SweepHooks();
        var clock = Stopwatch.StartNew();
        var results = new List<SweepTrialResult>();
        var cancelled = false;
        foreach (var trial in trials)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                cancelled = true;
                break;
            }
            hooks.TrialStarted?.Invoke(trial);
            var completed = results.Where(r => r.Status == SweepTrialStatus.Completed).Select(Curve).ToList();
            var result = RunTrial(spec, trial, data with { Options = trial.Options }, outputDir, completed, hooks, cancellationToken);
            results.Add(result);
            cancelled = result.Status == SweepTrialStatus.Cancelled;
            SweepJson.Write(outputDir, new SweepResult(spec, cancelled, results, clock.Elapsed.TotalSeconds));
            hooks.TrialEnded?.Invoke(result);
            if (cancelled)
            {
                break;
            }
        }
        var final = new SweepResult(spec, cancelled, results, clock.Elapsed.TotalSeconds);
        SweepJson.Write(outputDir, final);
        return final;
    }

    private static SweepTrialResult RunTrial(
        SweepSpec spec, SweepTrial trial, TrainingConfig config, string outputDir,
        IReadOnlyList<IReadOnlyDictionary<SweepPoint, double>> completed, SweepHooks hooks, CancellationToken cancellationToken)
    {
        var folder = TrialFolder(outputDir, trial.Number);
        var folds = trial.Options.Folds;
        var epochs = new SortedDictionary<int, List<EpochResult>>();
        SweepPoint? stoppedAt = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        TrainingHooks HooksFor(int fold)
        {
            var caller = hooks.Training?.Invoke(trial, fold) ?? new TrainingHooks();
            return caller with
            {
                Epoch = e =>
                {
                    caller.Epoch?.Invoke(e);
                    (epochs.TryGetValue(fold, out var list) ? list : epochs[fold] = []).Add(e);
                    var point = new SweepPoint(fold, e.Epoch);
                    // Stopping at the very last epoch would save nothing and mark a finished trial as stopped.
                    var last = e.Epoch == e.Epochs && fold == (folds ?? 0);
                    if (!last && spec.Stopping is { } rule && spec.MetricOf(e) is { } value && rule.ShouldStop(completed, point, value))
                    {
                        stoppedAt = point;
                        stop.Cancel();
                    }
                },
            };
        }

        var clock = Stopwatch.StartNew();
        var status = SweepTrialStatus.Completed;
        string? message = null;
        try
        {
            if (folds is not null)
            {
                CrossValidation.Run(config, folder, HooksFor, stop.Token);
            }
            else
            {
                Trainer.Run(config, folder, HooksFor(0), null, stop.Token);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            status = SweepTrialStatus.Cancelled;
            message = "the sweep was cancelled while this trial trained";
        }
        catch (OperationCanceledException) when (stoppedAt is { } at)
        {
            status = SweepTrialStatus.StoppedEarly;
            message = $"stopped early at {at}: below the median of the completed trials";
        }
        catch (PalmLabException e)
        {
            status = SweepTrialStatus.Failed;
            message = e.Message;
        }

        return TrialResult(spec, trial, folder, epochs, status, message, stoppedAt, Math.Round(clock.Elapsed.TotalSeconds, 3));
    }

    // The trial's metric per epoch (the mean over its folds) and at every fold's epoch, and its result.
    private static SweepTrialResult TrialResult(
        SweepSpec spec, SweepTrial trial, string folder, SortedDictionary<int, List<EpochResult>> epochs,
        SweepTrialStatus status, string? message, SweepPoint? stoppedAt, double seconds)
    {
        var byEpoch = CrossValidation.Summarise(epochs.Values.Select(l => (IReadOnlyList<EpochResult>)l).ToList())
            .Select(e => new SweepEpochMetric(e.Epoch, e.Metrics[spec.MetricName]))
            .ToList();
        var points = epochs.SelectMany(f => f.Value.Select(e => new SweepPointValue(f.Key, e.Epoch, spec.MetricOf(e)))).ToList();
        // The last epoch every started fold reached: a trial stopped in fold 2 at epoch 3 is judged at epoch 3 of folds 1
        // and 2, not at fold 1's last epoch alone.
        var reached = epochs.Count == 0 ? 0 : epochs.Values.Min(l => l.Max(e => e.Epoch));
        return new SweepTrialResult(
            trial.Number, Path.GetFileName(folder), trial.Swept, trial.Options, status, message,
            byEpoch.LastOrDefault(e => e.Epoch == reached)?.Metric, stoppedAt, byEpoch, points, seconds);
    }

    private static Dictionary<SweepPoint, double> Curve(SweepTrialResult trial) => trial.Points
        .Where(p => p.Value is not null)
        .ToDictionary(p => new SweepPoint(p.Fold, p.Epoch), p => p.Value!.Value);

    // Refuses, before anything trains, what would make every trial fail: bad folders, no validation, too many folds.
    private static void CheckData(IReadOnlyList<SweepTrial> trials, TrainingConfig data, CancellationToken cancellationToken)
    {
        foreach (var trial in trials)
        {
            var config = data with { Options = trial.Options, Fold = null };
            var errors = config.Validate();
            if (errors.Count > 0)
            {
                throw new PalmLabException($"Invalid sweep: {TrainingConfig.Describe(errors)} (in trial {trial.Number}: {trial.Describe()}).");
            }
            if (trial.Options.Folds is null && trial.Options.Holdout is null && data.ValidDir is null)
            {
                throw new PalmLabException(
                    $"A sweep ranks its trials on validation data, and trial {trial.Number} has none: give a validation folder, a holdout or folds.");
            }
        }
        var images = DatasetReader.ReadTrainingFolder(data.TrainDir).Images;
        foreach (var (folds, seed) in trials.Where(t => t.Options.Folds is not null).Select(t => (t.Options.Folds!.Value, t.Options.Seed)).Distinct())
        {
            FoldSplit.Assign(images, folds, seed, cancellationToken);
        }
    }
}
