using PalmLab.Engine.Training;

namespace PalmLab.Engine.Sweeps;

/// <summary>
/// Callbacks of <see cref="SweepRunner"/>, on its thread. <see cref="Training"/> gives the trainer's hooks for a trial
/// and fold (1-based; 0 without folds); the runner adds its own epoch hook for median stopping after them.
/// </summary>
public sealed record SweepHooks(
    Action<SweepTrial>? TrialStarted = null,
    Action<SweepTrialResult>? TrialEnded = null,
    Func<SweepTrial, int, TrainingHooks?>? Training = null);
