using PalmLab.Engine.Training;

namespace PalmLab.Web.Data;

/// <summary>One training run: every option as a typed column, its status and its history.</summary>
public sealed class Run
{
    public int Id { get; set; }

    public required string Name { get; set; }

    public RunStatus Status { get; set; }

    public int DataSetId { get; set; }

    public DataSet? DataSet { get; set; }

    public double? Holdout { get; set; }

    public int Depth { get; set; }

    public int Epochs { get; set; }

    public int BatchSize { get; set; }

    public int ImageSize { get; set; }

    public LrScheduleKind Schedule { get; set; }

    public double LearningRate { get; set; }

    public double EndLearningRate { get; set; }

    public double Power { get; set; }

    public int? DecaySteps { get; set; }

    public int? StepSize { get; set; }

    public double Gamma { get; set; }

    public int WarmupSteps { get; set; }

    public double Momentum { get; set; }

    public double WeightDecay { get; set; }

    public int Seed { get; set; }

    public double Threshold { get; set; }

    public bool AugmentFlip { get; set; }

    public double AugmentRotation { get; set; }

    /// <summary>The device the run trained on ("cpu", "cuda"), once it started.</summary>
    public string? Device { get; set; }

    /// <summary>Why the run failed, in words for the user.</summary>
    public string? ErrorMessage { get; set; }

    public string? Notes { get; set; }

    /// <summary>Comma-separated tags.</summary>
    public string? Tags { get; set; }

    public int? ClonedFromId { get; set; }

    /// <summary>Set when the run is queued to continue from its last checkpoint.</summary>
    public bool ResumeRequested { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public List<EpochMetric> EpochMetrics { get; set; } = [];

    public List<RunCheckpoint> Checkpoints { get; set; } = [];
}
