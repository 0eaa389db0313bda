using Microsoft.AspNetCore.SignalR;

namespace PalmLab.Web.Runs;

/// <summary>
/// Live stream at /hubs/runs. <c>JoinRun(id)</c> subscribes to one run's "batchLosses", "epochCompleted" and
/// "statusChanged" messages; <c>JoinAll()</c> to every run's status changes. To catch up without a gap, join first,
/// then read GET /api/runs/{id}/batch-losses, then drop streamed points whose step the history already holds.
/// </summary>
public sealed class RunsHub : Hub
{
    public const string Path = "/hubs/runs";
    public const string AllRunsGroup = "runs";

    public static string RunGroup(int runId) => $"run-{runId}";

    public Task JoinRun(int runId) => Groups.AddToGroupAsync(Context.ConnectionId, RunGroup(runId));

    public Task LeaveRun(int runId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, RunGroup(runId));

    public Task JoinAll() => Groups.AddToGroupAsync(Context.ConnectionId, AllRunsGroup);
}
