using System.Globalization;

namespace PalmLab.Bench;

/// <summary>A process's user and system CPU time, read from /proc/PID/stat (Linux), which still answers for a child not yet reaped.</summary>
public static class ProcessCpu
{
    private static readonly double TicksPerSecond = 100; // USER_HZ, 100 on every Linux this runs on

    public static (TimeSpan User, TimeSpan System) Of(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 14th and 15th.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        double Seconds(int field) => long.Parse(fields[field - 3], CultureInfo.InvariantCulture) / TicksPerSecond;
        return (TimeSpan.FromSeconds(Seconds(14)), TimeSpan.FromSeconds(Seconds(15)));
    }
}
