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

    /// <summary>
    /// CPU time of the process's children that have exited and been waited for (cutime and cstime, /proc/PID/stat fields 16
    /// and 17): where a training child's CPU shows once it is reaped.
    /// </summary>
    public static (TimeSpan User, TimeSpan System) ReapedChildrenCpu(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        double Seconds(int field) => long.Parse(fields[field - 3], CultureInfo.InvariantCulture) / TicksPerSecond;
        return (TimeSpan.FromSeconds(Seconds(16)), TimeSpan.FromSeconds(Seconds(17)));
    }

    /// <summary>
    /// Live processes other than <paramref name="except"/> whose command line holds <paramref name="text"/> (arguments
    /// joined by spaces): how a training child is found even when it left its parent's session or was re-parented.
    /// </summary>
    public static IReadOnlyList<int> ProcessesWith(string text, int except)
    {
        var found = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == except)
            {
                continue;
            }
            try
            {
                if (File.ReadAllText(Path.Combine(entry, "cmdline")).Replace('\0', ' ').Contains(text, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // It exited while being read.
            }
            catch (UnauthorizedAccessException)
            {
                // Another user's process.
            }
        }
        return found;
    }

    /// <summary>The live descendants of <paramref name="pid"/> (children, their children, ...), from the parent field of /proc/PID/stat.</summary>
    public static IReadOnlyList<int> Descendants(int pid)
    {
        var parents = new Dictionary<int, int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                try
                {
                    var stat = File.ReadAllText(Path.Combine(entry, "stat"));
                    parents[id] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                }
                catch (IOException)
                {
                    // It exited while being read.
                }
            }
        }
        var found = new List<int>();
        var frontier = new Queue<int>([pid]);
        while (frontier.TryDequeue(out var parent))
        {
            foreach (var child in parents.Where(p => p.Value == parent).Select(p => p.Key))
            {
                found.Add(child);
                frontier.Enqueue(child);
            }
        }
        return found;
    }

    /// <summary>The first <paramref name="words"/> words of a process's command line, or "" once it is gone.</summary>
    public static string CommandLine(int pid, int words)
    {
        try
        {
            return string.Join(' ', File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries).Take(words));
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>A memory field of /proc/PID/status ("VmRSS:", "VmHWM:") in bytes; <paramref name="pid"/> may be "self".</summary>
    public static long StatusBytes(string pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
