using System.Diagnostics;
using System.Globalization;
using PalmLab.Web.Options;
using PalmLab.Web.Runs;

namespace PalmLab.Tests.Support;

/// <summary>A local run's training process, found by the pid file its dashboard wrote in the run's folder.</summary>
public static class TrainingChild
{
    /// <summary>The pid in the run's pid file (the file must exist: the run trains in a child).</summary>
    public static int Pid(string checkpointsDir, int runId)
    {
        var file = new RunFolder(new PalmLabOptions { CheckpointsDir = checkpointsDir }, runId, Guid.Empty).LocalJobPid;
        Assert.True(File.Exists(file), $"run {runId} has no pid file {file}: it does not train in a child process");
        return int.Parse(File.ReadAllText(file).Split(' ')[0], CultureInfo.InvariantCulture);
    }

    public static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited && !File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z');
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            return false;
        }
    }

    /// <summary>SIGKILL of the training process alone.</summary>
    public static void Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: false);
        }
        catch (ArgumentException)
        {
            // gone already
        }
    }

    /// <summary>The run's training output (job/output.log), for failure messages.</summary>
    public static string Output(string checkpointsDir, int runId)
    {
        var file = new RunFolder(new PalmLabOptions { CheckpointsDir = checkpointsDir }, runId, Guid.Empty).LocalJobOutput;
        return File.Exists(file) ? File.ReadAllText(file) : $"({file} does not exist)";
    }
}
