using PalmLab.Web.Options;
using PalmLab.Web.Runs;

namespace PalmLab.Web.Executors.Local;

/// <summary>
/// Every file of a run's local training process, in job/ of the run's folder: its token, its output, its pid and
/// process start time, and its scratch folder (report outbox, image cache).
/// </summary>
public static class LocalJobFiles
{
    public static string Folder(PalmLabOptions options, int runId) => Path.Combine(RunPlanner.CheckpointDir(options, runId), "job");

    public static string Token(PalmLabOptions options, int runId) => Path.Combine(Folder(options, runId), "token");

    /// <summary>The child's stdout and stderr, appended to (a resumed run's next child writes after the last one).</summary>
    public static string Output(PalmLabOptions options, int runId) => Path.Combine(Folder(options, runId), "output.log");

    /// <summary>"PID STARTTIME": the child's pid and its start time from /proc/PID/stat, so a reused pid is not taken for it.</summary>
    public static string Pid(PalmLabOptions options, int runId) => Path.Combine(Folder(options, runId), "pid");

    public static string Scratch(PalmLabOptions options, int runId) => Path.Combine(Folder(options, runId), "scratch");
}
