using PalmLab.Engine.Training;

namespace PalmLab.Web.Data;

/// <summary>One training run: its options, its status and its history.</summary>
public sealed class Run
{
    public int Id { get; set; }

    /// <summary>
    /// The run's identity, written into its folder and into every checkpoint it writes (<see cref="Runs.RunFiles"/>): ids
    /// start again at 1 in a new database, identities never repeat, so a run never takes another run's files for its own.
    /// </summary>
    public Guid Uid { get; set; } = Guid.NewGuid();

    public required string Name { get; set; }

    /// <summary>
    /// Set only when the run is made (inserted Queued, or seeded): every later change is a conditional update in
    /// <see cref="Runs.RunLifecycle"/>, the one module that moves a run from status to status.
    /// </summary>
    public RunStatus Status { get; init; }

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

    /// <summary>Where the run trains: "local" (in the dashboard's process) or "slurm" (a batch job on the cluster).</summary>
    public string Executor { get; set; } = RunExecutors.Local;

    /// <summary>
    /// The executor instance (<see cref="Runs.ExecutorInstance"/>: one dashboard) that claimed the run last: it trains a local
    /// run, or submitted a Slurm run's job. Kept after the run ends, to say where it ran; cleared when it is queued again.
    /// </summary>
    public string? Owner { get; set; }

    /// <summary>
    /// Until when <see cref="Owner"/> holds the running run: the owner renews it while it lives (<see cref="Runs.RunLeases"/>).
    /// A running local run whose lease has passed lost its dashboard, and any dashboard marks it Interrupted.
    /// </summary>
    public DateTimeOffset? LeaseUntil { get; set; }

    /// <summary>The Slurm resources this run asks for, over the settings' defaults (each null: the default).</summary>
    public SlurmResources Slurm { get; set; } = new();

    /// <summary>The Slurm job training the run (the latest, after a resume).</summary>
    public string? JobId { get; set; }

    /// <summary>The job's state as Slurm last gave it (PENDING, RUNNING, COMPLETED, ...), with its reason.</summary>
    public string? JobState { get; set; }

    /// <summary>SHA-256 of the token the job reports with; the token itself is never stored.</summary>
    public string? JobTokenHash { get; set; }

    /// <summary>The number of the job's last report that was recorded: each report is applied once.</summary>
    public long JobReportSeq { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public List<EpochMetric> EpochMetrics { get; set; } = [];

    public List<RunCheckpoint> Checkpoints { get; set; } = [];
}
