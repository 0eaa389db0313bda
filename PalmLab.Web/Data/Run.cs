using PalmLab.Engine.Training;

namespace PalmLab.Web.Data;

/// <summary>One training run: its options, its status and its history.</summary>
public sealed class Run
{
    public int Id { get; set; }

    public required string Name { get; set; }

    public RunStatus Status { get; set; }

    public int DataSetId { get; set; }

    public DataSet? DataSet { get; set; }

    /// <summary>What is trained and how, stored as typed columns (an EF Core complex property named as the options are).</summary>
    public TrainingOptions Options { get; set; } = new();

    /// <summary>The device the run trained on ("cpu", "cuda"), once it started.</summary>
    public string? Device { get; set; }

    /// <summary>Why the run failed, in words for the user.</summary>
    public string? ErrorMessage { get; set; }

    public string? Notes { get; set; }

    /// <summary>Comma-separated tags.</summary>
    public string? Tags { get; set; }

    public int? ClonedFromId { get; set; }

    /// <summary>The sweep this run is a trial of, if any.</summary>
    public int? SweepId { get; set; }

    /// <summary>Set when the run is queued to continue from its last checkpoint.</summary>
    public bool ResumeRequested { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public List<EpochMetric> EpochMetrics { get; set; } = [];

    public List<RunCheckpoint> Checkpoints { get; set; } = [];
}
