using System.Globalization;
using PalmLab.Web.Data;

namespace PalmLab.Web.Slurm;

/// <summary>The most CPUs and memory one node of a partition has (sinfo), to refuse a job that no node can ever take.</summary>
public sealed record SlurmPartitionLimits(string Partition, int MaxCpus, long MaxMemoryMb)
{
    /// <summary>The sinfo format these are read from: partition (the default one ends with '*'), CPUs and memory (MB) per node.</summary>
    public const string SinfoFormat = "%P|%c|%m";

    /// <summary>
    /// Lines of sinfo -h -o "%P|%c|%m" (one per partition and kind of node; "2+" means 2 or more) for
    /// <paramref name="partition"/>, or the default partition when it is null. Null when sinfo names no such partition.
    /// </summary>
    public static SlurmPartitionLimits? Parse(string output, string? partition)
    {
        var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split('|'))
            .Where(f => f.Length >= 3)
            .Select(f => (Name: f[0].TrimEnd('*'), IsDefault: f[0].EndsWith('*'), Cpus: LeadingNumber(f[1]), Memory: LeadingNumber(f[2])))
            .Where(r => partition is null ? r.IsDefault : r.Name == partition)
            .ToList();
        return rows.Count == 0 ? null : new(rows[0].Name, (int)rows.Max(r => r.Cpus), rows.Max(r => r.Memory));
    }

    /// <summary>What <paramref name="resources"/> ask for beyond every node of the partition, in words; null when a node can take it.</summary>
    public string? Problem(SlurmResources resources)
    {
        var problems = new List<string>();
        if (resources.Cpus is { } cpus && cpus > MaxCpus)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{cpus} CPUs, but the nodes of partition {Partition} have at most {MaxCpus}: ask for {MaxCpus} or fewer"));
        }
        if (MemoryMb(resources.Memory) is { } memory && memory > MaxMemoryMb)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{resources.Memory} of memory, but the nodes of partition {Partition} have at most {MaxMemoryMb} MB: ask for {MaxMemoryMb}M or less"));
        }
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    /// <summary>sbatch --mem's size in MB ("16G", "4096M", "4096"); null when unset or unreadable.</summary>
    public static long? MemoryMb(string? memory)
    {
        if (string.IsNullOrEmpty(memory))
        {
            return null;
        }
        var unit = char.ToUpperInvariant(memory[^1]);
        var digits = char.IsDigit(unit) ? memory : memory[..^1];
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }
        return unit switch
        {
            'K' => value / 1024,
            'G' => value * 1024,
            'T' => value * 1024 * 1024,
            _ => value,
        };
    }

    private static long LeadingNumber(string text)
    {
        var digits = new string(text.Trim().TakeWhile(char.IsDigit).ToArray());
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
    }
}
