using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace PalmLab.Web.Executors.Local;

/// <summary>
/// A local training process: started in a session of its own (setsid), with its output appended to a file (never a
/// pipe, whose reader would die with the dashboard), so a dashboard killed with SIGKILL leaves it training. Known by
/// its pid and its start time in /proc/PID/stat, which tells it from a later process given the same pid.
/// </summary>
public sealed class ChildProcess
{
    private const int SigTerm = 15;
    private const int SigKill = 9;
    private readonly Process? _process;

    private ChildProcess(int pid, long startTime, string outputFile, Process? process)
    {
        Pid = pid;
        StartTime = startTime;
        OutputFile = outputFile;
        _process = process;
    }

    public int Pid { get; }

    /// <summary>Field 22 of /proc/PID/stat: clock ticks since boot when it started.</summary>
    public long StartTime { get; }

    /// <summary>The file its stdout and stderr are appended to.</summary>
    public string OutputFile { get; }

    /// <summary>Its exit code, once exited, when this dashboard started it (an adopted process's is not known).</summary>
    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    /// <summary>Starts <paramref name="fileName"/> <paramref name="arguments"/> in <paramref name="workingDirectory"/> and records its pid in <paramref name="pidFile"/>.</summary>
    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, string workingDirectory, string outputFile, string pidFile)
    {
        // sh opens the output file and execs setsid, which execs the command: one pid from fork to exit.
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = workingDirectory };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("out=\"$1\"; shift; exec setsid \"$@\" >>\"$out\" 2>&1 </dev/null");
        start.ArgumentList.Add("palmlab-job");
        start.ArgumentList.Add(outputFile);
        start.ArgumentList.Add(fileName);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start.");
        var startTime = ReadStartTime(process.Id) ?? 0;
        var child = new ChildProcess(process.Id, startTime, outputFile, process);
        File.WriteAllText(pidFile, string.Create(CultureInfo.InvariantCulture, $"{child.Pid} {child.StartTime}\n"));
        return child;
    }

    /// <summary>
    /// The process <paramref name="pidFile"/> names, if it still runs (same pid, same start time), writing its output to
    /// <paramref name="outputFile"/>; null otherwise.
    /// </summary>
    public static ChildProcess? Find(string pidFile, string outputFile)
    {
        string[] fields;
        try
        {
            fields = File.ReadAllText(pidFile).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        if (fields.Length < 2 || !int.TryParse(fields[0], CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(fields[1], CultureInfo.InvariantCulture, out var startTime))
        {
            return null;
        }
        var child = new ChildProcess(pid, startTime, outputFile, null);
        return child.IsAlive ? child : null;
    }

    /// <summary>Whether it still runs: its /proc entry has its start time and is not a zombie.</summary>
    public bool IsAlive
    {
        get
        {
            if (_process is not null)
            {
                return !_process.HasExited;
            }
            var stat = ReadStat(Pid);
            return stat is { } s && s.StartTime == StartTime && s.State != 'Z' && s.State != 'X';
        }
    }

    /// <summary>Waits until it exits: a child of this process through its Process, an adopted one by looking at /proc every <paramref name="poll"/>.</summary>
    public async Task WaitForExitAsync(TimeSpan poll, TimeProvider time, CancellationToken cancellationToken)
    {
        if (_process is not null)
        {
            await _process.WaitForExitAsync(cancellationToken);
            return;
        }
        while (IsAlive)
        {
            await Task.Delay(poll, time, cancellationToken);
        }
    }

    /// <summary>SIGTERM to its process group (it leads one: setsid): it stops training and sends what it has.</summary>
    public void Terminate() => Signal(SigTerm);

    /// <summary>SIGKILL to its process group.</summary>
    public void Kill() => Signal(SigKill);

    private void Signal(int signal)
    {
        // Right after the start, sh may not have reached setsid yet, so there is no such group: the process alone then
        // (the signal ends sh or setsid before the training starts). A stop lost there cost the grace period each time.
        if (IsAlive && SendSignal(-Pid, signal) != 0)
        {
            _ = SendSignal(Pid, signal);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    private static long? ReadStartTime(int pid) => ReadStat(pid)?.StartTime;

    // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses, so fields count from the last ')'.
    private static (char State, long StartTime)? ReadStat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state); the start time is field 22.
        return fields.Length > 19 && long.TryParse(fields[19], CultureInfo.InvariantCulture, out var start) ? (fields[0][0], start) : null;
    }
}
