using System.Text.RegularExpressions;
using PalmLab.Web.Data;

namespace PalmLab.Web.Slurm;

/// <summary>What sbatch takes for each resource; a value outside it is refused when the run is queued, not by sbatch later.</summary>
public static partial class SlurmResourceRules
{
    public static IEnumerable<(string Field, string Message)> Check(SlurmResources? resources)
    {
        if (resources is null)
        {
            yield break;
        }
        if (resources.Partition is { } partition && !Partition().IsMatch(partition))
        {
            yield return ("partition", "letters, digits, '_', '-' and '.' only (up to 100)");
        }
        if (resources.Gpus is < 0 or > 64)
        {
            yield return ("gpus", "must be from 0 to 64");
        }
        if (resources.Cpus is < 1 or > 1024)
        {
            yield return ("cpus", "must be from 1 to 1,024");
        }
        if (resources.Memory is { } memory && !Memory().IsMatch(memory))
        {
            yield return ("memory", "a size such as 16G, 4096M or 4096 (MB)");
        }
        if (resources.TimeLimit is { } time && !TimeLimit().IsMatch(time))
        {
            yield return ("timeLimit", "a Slurm time such as 90 (minutes), 04:00:00 or 1-12:00:00");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,100}$")]
    private static partial Regex Partition();

    [GeneratedRegex("^[0-9]{1,9}[KMGT]?$")]
    private static partial Regex Memory();

    [GeneratedRegex("^([0-9]{1,4}-)?[0-9]{1,5}(:[0-9]{2}){0,2}$")]
    private static partial Regex TimeLimit();
}
