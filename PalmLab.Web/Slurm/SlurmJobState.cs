namespace PalmLab.Web.Slurm;

/// <summary>A Slurm job's state (PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, ...) with its reason and node.</summary>
public sealed record SlurmJobState(string JobId, string State, string? Reason, string? Node, string? ExitCode = null)
{
    // Slurm's words for the states PalmLab acts on (squeue, scontrol and sacct write them so).
    public const string Pending = "PENDING";
    public const string Running = "RUNNING";
    public const string Completed = "COMPLETED";
    public const string Failed = "FAILED";
    public const string Cancelled = "CANCELLED";

    // Reasons a pending job waits for something its request or the cluster's configuration rules out: Slurm keeps it
    // pending (until an administrator changes the partition or account), but it will not start as asked
    // (https://slurm.schedmd.com/job_reason_codes.html). Resources, Priority, limits and down nodes pass.
    private static readonly HashSet<string> NeverReasons =
    [
        "BadConstraints", "PartitionConfig", "PartitionNodeLimit", "PartitionTimeLimit",
        "InvalidAccount", "InvalidQOS", "AccountNotAllowed", "QOSNotAllowed", "DependencyNeverSatisfied",
    ];

    /// <summary>Pending for a reason that means it will never start as it asks (more CPUs than any node has, say).</summary>
    public bool CanNeverStart => State == Pending && Reason is { } reason && NeverReasons.Contains(reason);

    public bool IsActive => State is Pending or Running or "CONFIGURING" or "COMPLETING" or "SUSPENDED" or "REQUEUED" or "RESIZING" or "SIGNALING" or "STAGE_OUT";

    /// <summary>"RUNNING on node1", "PENDING (Resources)", "FAILED (exit code 1:0)".</summary>
    public string Describe()
    {
        var text = State;
        if (Node is { Length: > 0 } node && State is Running or "COMPLETING")
        {
            text += $" on {node}";
        }
        if (Reason is { Length: > 0 } reason && reason != "None")
        {
            text += $" ({reason})";
        }
        if (ExitCode is { Length: > 0 } exit && exit != "0:0")
        {
            text += $" (exit code {exit})";
        }
        return text;
    }

    /// <summary>Lines of squeue -o "%i|%T|%r|%N".</summary>
    public static IEnumerable<SlurmJobState> ParseSqueue(string output) => Lines(output)
        .Select(l => l.Split('|'))
        .Where(f => f.Length >= 4)
        .Select(f => new SlurmJobState(f[0], f[1], Blank(f[2]), Blank(f[3])));

    /// <summary>scontrol show job -o: one line of Key=Value pairs.</summary>
    public static SlurmJobState? ParseScontrol(string output)
    {
        var fields = output.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Select(f => f.Split('=', 2)).Where(f => f.Length == 2)
            .GroupBy(f => f[0]).ToDictionary(g => g.Key, g => g.First()[1]);
        return fields.TryGetValue("JobId", out var id) && fields.TryGetValue("JobState", out var state)
            ? new SlurmJobState(id, state, Blank(fields.GetValueOrDefault("Reason")), Blank(fields.GetValueOrDefault("NodeList")), fields.GetValueOrDefault("ExitCode"))
            : null;
    }

    /// <summary>sacct -X -n -P -o JobID,State,Reason,ExitCode,NodeList.</summary>
    public static SlurmJobState? ParseSacct(string output, string jobId) => Lines(output)
        .Select(l => l.Split('|'))
        .Where(f => f.Length >= 5 && f[0] == jobId)
        .Select(f => new SlurmJobState(f[0], FirstWord(f[1]), Blank(f[2]), Blank(f[4]), f[3]))
        .LastOrDefault();

    /// <summary>sacct -c -n -P -o jobid,state,nodelist (the job completion log, on a cluster without accounting).</summary>
    public static SlurmJobState? ParseCompletion(string output, string jobId) => Lines(output)
        .Select(l => l.Split('|'))
        .Where(f => f.Length >= 3 && f[0] == jobId)
        .Select(f => new SlurmJobState(f[0], FirstWord(f[1]), null, Blank(f[2])))
        .LastOrDefault();

    private static IEnumerable<string> Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    // sacct writes "CANCELLED by 0".
    private static string FirstWord(string state) => state.Split(' ')[0];

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) || value is "(null)" or "None assigned" ? null : value.Trim();
}
