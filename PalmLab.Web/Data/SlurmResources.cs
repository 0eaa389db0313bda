namespace PalmLab.Web.Data;

/// <summary>What a Slurm job asks for. The settings hold the defaults; a run may override each one.</summary>
public class SlurmResources
{
    /// <summary>sbatch --partition; null: the cluster's default partition.</summary>
    public string? Partition { get; set; }

    /// <summary>GPUs (sbatch --gres=gpu:N); 0 or null: none.</summary>
    public int? Gpus { get; set; }

    /// <summary>sbatch --cpus-per-task; also the job's training threads.</summary>
    public int? Cpus { get; set; }

    /// <summary>sbatch --mem, such as "16G".</summary>
    public string? Memory { get; set; }

    /// <summary>sbatch --time, such as "04:00:00" or "1-00:00:00".</summary>
    public string? TimeLimit { get; set; }

    /// <summary>These resources with each unset one taken from <paramref name="defaults"/>.</summary>
    public SlurmResources Over(SlurmResources defaults) => new()
    {
        Partition = Partition ?? defaults.Partition,
        Gpus = Gpus ?? defaults.Gpus,
        Cpus = Cpus ?? defaults.Cpus,
        Memory = Memory ?? defaults.Memory,
        TimeLimit = TimeLimit ?? defaults.TimeLimit,
    };
}
