namespace PalmLab.Web.Runs;

/// <summary>A run being trained: the user's cancel switch, its batch-loss writer and the task training it.</summary>
public sealed class LiveRun(CancellationTokenSource userCancel, BatchLossWriter writer)
{
    public CancellationTokenSource UserCancel { get; } = userCancel;

    public BatchLossWriter Writer { get; } = writer;

    /// <summary>Set when a sweep stops this trial early, before its cancel is requested.</summary>
    public string? StopReason { get; set; }
}
