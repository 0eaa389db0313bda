using System.Collections.Concurrent;
using System.Diagnostics;

namespace PalmLab.Bench;

/// <summary>
/// The web apps and CLIs a benchmark started, killed with their descendants when the benchmark is stopped (SIGTERM,
/// Ctrl+C), where the finally blocks that dispose them do not run: no dashboard is left training behind a killed run.
/// </summary>
public static class ChildProcesses
{
    private static readonly ConcurrentDictionary<int, Process> Live = new();

    static ChildProcesses()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        Console.CancelKeyPress += (_, _) => KillAll();
    }

    public static void Track(Process process) => Live[process.Id] = process;

    public static void Forget(Process process) => Live.TryRemove(process.Id, out _);

    private static void KillAll()
    {
        foreach (var process in Live.Values)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    }
}
