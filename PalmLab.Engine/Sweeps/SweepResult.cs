using System.Text.Json.Serialization;

namespace PalmLab.Engine.Sweeps;

/// <summary>A sweep's outcome, as OUT/sweep.json holds it; <see cref="Trials"/> in the order they ran.</summary>
public sealed record SweepResult(SweepSpec Spec, bool Cancelled, IReadOnlyList<SweepTrialResult> Trials, double Seconds)
{
    /// <summary>
    /// Best first: completed trials by the metric (higher first; ties by trial number), then trials stopped early by
    /// the metric they reached, then failed and cancelled trials.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<SweepTrialResult> Ranked => Trials
        .OrderBy(t => t.Status switch { SweepTrialStatus.Completed => 0, SweepTrialStatus.StoppedEarly => 1, _ => 2 })
        .ThenByDescending(t => t.Metric?.Mean ?? double.NegativeInfinity)
        .ThenBy(t => t.Number)
        .ToList();

    /// <summary>The number of the best completed trial with a metric; null when none has one.</summary>
    public int? BestTrial => Ranked.FirstOrDefault(t => t.Status == SweepTrialStatus.Completed && t.Metric is not null)?.Number;
}
