using PalmLab.Engine.Sweeps;
using PalmLab.Engine.Training;

namespace PalmLab.Web.Data;

/// <summary>
/// A search for the best options on one data set: a base configuration, a search space and a strategy. Its trials are
/// ordinary runs whose <see cref="Run.SweepId"/> points here.
/// </summary>
public sealed class Sweep
{
    public int Id { get; set; }

    public required string Name { get; set; }

    public int DataSetId { get; set; }

    public DataSet? DataSet { get; set; }

    /// <summary>The options every trial starts from (a preset or a run's, with the overrides laid on).</summary>
    public TrainingOptions BaseOptions { get; set; } = new();

    /// <summary>The search space as the request gave it (option name to a list of values or a range), as JSON.</summary>
    public required string SpaceJson { get; set; }

    public SweepStrategy Strategy { get; set; }

    public int Seed { get; set; }

    /// <summary>How many trials were queued (a grid's size, or the random strategy's count within the budget).</summary>
    public int TrialCount { get; set; }

    public SweepMetric Metric { get; set; }

    /// <summary>The most trials the sweep may queue, when it was given one.</summary>
    public int? Budget { get; set; }

    /// <summary>Median stopping's minimum epochs; null when the sweep runs every trial to its end.</summary>
    public int? StopMinEpochs { get; set; }

    /// <summary>Median stopping's minimum of completed trials at a point before it compares.</summary>
    public int? StopMinCompletedTrials { get; set; }

    /// <summary>The median-stopping rule, or null when it is off.</summary>
    public MedianStopping? Stopping => StopMinEpochs is { } epochs ? new MedianStopping(epochs, StopMinCompletedTrials ?? MedianStopping.DefaultMinCompletedTrials) : null;

    public SweepStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public List<Run> Trials { get; set; } = [];
}
