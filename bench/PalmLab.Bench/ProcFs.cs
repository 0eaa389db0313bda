using System.Globalization;

namespace PalmLab.Bench;

/// <summary>What /proc (Linux) says of a process: its CPU time and its memory.</summary>
public static class ProcFs
{
    private static readonly double TicksPerSecond = 100; // USER_HZ, 100 on every Linux this runs on

    /// <summary>User and system CPU time, from /proc/PID/stat, which still answers for a child not yet reaped.</summary>
    public static (TimeSpan User, TimeSpan System) Cpu(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 14th and 15th.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        double Seconds(int field) => long.Parse(fields[field - 3], CultureInfo.InvariantCulture) / TicksPerSecond;
        return (TimeSpan.FromSeconds(Seconds(14)), TimeSpan.FromSeconds(Seconds(15)));
    }

    /// <summary>A memory field of /proc/PID/status ("VmRSS:", "VmHWM:") in bytes; <paramref name="pid"/> may be "self".</summary>
    public static long StatusBytes(string pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
