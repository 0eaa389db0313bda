namespace PalmLab.Web.Runs;

/// <summary>A run whose training process this dashboard follows: the switch that ends it early, and why.</summary>
public sealed class LiveRun(CancellationTokenSource userCancel)
{
    public CancellationTokenSource UserCancel { get; } = userCancel;

    /// <summary>Set when a sweep stops this trial early, before its cancel is requested.</summary>
    public string? StopReason { get; set; }

    /// <summary>The user's reason to cancel, when there is one to record.</summary>
    public string? CancelReason { get; set; }
}
