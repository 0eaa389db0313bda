using PalmLab.Web.Slurm;

namespace PalmLab.Web.Executors;

/// <summary>
/// A run's job state, as the run's JobState column holds it and the run page shows it: the executor's own steps
/// (submitting, starting) and Slurm's words for a job ("PENDING (Resources)", "RUNNING on node1", "COMPLETED").
/// The column is written only through this type.
/// </summary>
public readonly record struct JobState(string Text)
{
    /// <summary>The Slurm executor writes the script and runs sbatch.</summary>
    public static readonly JobState Submitting = new("submitting");

    /// <summary>sbatch was not run, or refused the job.</summary>
    public static readonly JobState NotSubmitted = new("not submitted");

    /// <summary>The local executor starts the run's training process.</summary>
    public static readonly JobState Starting = new("starting");

    public static readonly JobState Pending = new(SlurmJobState.Pending);

    public static readonly JobState Completed = new(SlurmJobState.Completed);

    public static readonly JobState Failed = new(SlurmJobState.Failed);

    public static readonly JobState Cancelled = new(SlurmJobState.Cancelled);

    /// <summary>"RUNNING", or "RUNNING on NODE" once the job said where.</summary>
    public static JobState RunningOn(string? node) => new(node is null ? SlurmJobState.Running : $"{SlurmJobState.Running} on {node}");

    /// <summary>What Slurm says of the job (<see cref="SlurmJobState.Describe"/>).</summary>
    public static JobState Of(SlurmJobState state) => new(state.Describe());

    /// <summary>The job's end as its run reported it.</summary>
    public static JobState Ended(bool completed) => completed ? Completed : Failed;

    public override string ToString() => Text;
}
