using System.ComponentModel.DataAnnotations;
using PalmLab.Web.Data;

namespace PalmLab.Web.Slurm;

/// <summary>
/// How runs are handed to Slurm when PalmLab:Executor is "slurm" (PalmLab:Slurm). The resources (Partition, Gpus, Cpus,
/// Memory, TimeLimit) are the defaults each run may override.
/// </summary>
public sealed class SlurmOptions : SlurmResources
{
    /// <summary>The dashboard's address as the nodes reach it, such as http://head-node:5180 (required for Slurm).</summary>
    public string? ServerUrl { get; set; }

    /// <summary>How a node starts palmlab, such as "/shared/palmlab/palmlab" or "dotnet /shared/palmlab/palmlab.dll".</summary>
    public string Command { get; set; } = "palmlab";

    /// <summary>A folder on the shared file system for each job's script, token and output (run-N/).</summary>
    public string WorkDir { get; set; } = "data/slurm";

    /// <summary>
    /// The dashboard's CheckpointsDir as the nodes see it, on the shared file system: jobs write their checkpoints there.
    /// Empty: the jobs write to their own scratch folder and upload each checkpoint to the dashboard.
    /// </summary>
    public string? SharedCheckpointsDir { get; set; }

    /// <summary>The dashboard's DataSetsDir as the nodes see it; empty: the same path.</summary>
    public string? SharedDataSetsDir { get; set; }

    /// <summary>The slurm.conf the Slurm commands read (SLURM_CONF); empty: Slurm's own default.</summary>
    public string? Conf { get; set; }

    /// <summary>How often the dashboard asks Slurm about its jobs (squeue, then sacct for the ended ones).</summary>
    [Range(0.2, 3600)]
    public double PollSeconds { get; set; } = 10;
}
