using System.Text;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Web.Slurm;

/// <summary>The batch script of one run's job: the resources as #SBATCH lines, then palmlab job reporting to the dashboard.</summary>
public static class SlurmJobScript
{
    public static string Write(int runId, SlurmOptions options, SlurmResources resources, string folder, string tokenFile)
    {
        var script = new StringBuilder();
        script.AppendLine("#!/bin/bash");
        script.AppendLine($"#SBATCH --job-name=palmlab-run-{runId}");
        script.AppendLine($"#SBATCH --output={Path.Combine(folder, RunFolder.JobOutputName("%j"))}");
        script.AppendLine($"#SBATCH --chdir={folder}");
        if (resources.Partition is { Length: > 0 } partition) script.AppendLine($"#SBATCH --partition={partition}");
        if (resources.Gpus is > 0 and var gpus) script.AppendLine($"#SBATCH --gres=gpu:{gpus}");
        if (resources.Cpus is > 0 and var cpus) script.AppendLine($"#SBATCH --cpus-per-task={cpus}");
        if (resources.Memory is { Length: > 0 } memory) script.AppendLine($"#SBATCH --mem={memory}");
        if (resources.TimeLimit is { Length: > 0 } time) script.AppendLine($"#SBATCH --time={time}");
        script.AppendLine("set -e");
        // The job's own scratch folder holds its unsent reports and, without a shared checkpoint folder, its checkpoints.
        script.AppendLine($"SCRATCH=\"${{TMPDIR:-/tmp}}/palmlab-run-{runId}-$SLURM_JOB_ID\"");
        script.AppendLine($"exec {options.Command} job --server {Quote(options.ServerUrl!)} --run {runId} --token-file {Quote(tokenFile)} --scratch \"$SCRATCH\" --threads \"${{SLURM_CPUS_PER_TASK:-0}}\"");
        return script.ToString();
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''") + "'";
}
