using System.Diagnostics;
using Microsoft.Extensions.Options;
using PalmLab.Engine;
using PalmLab.Web.Options;

namespace PalmLab.Web.Slurm;

/// <summary>Runs Slurm's own commands (sbatch, squeue, scontrol, sacct, scancel) and reads their answers.</summary>
public sealed class SlurmClient(IOptions<PalmLabOptions> options, ILogger<SlurmClient> logger)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Submits a batch script; returns Slurm's job id.</summary>
    /// <exception cref="PalmLabException">sbatch refused the job (its message) or is missing.</exception>
    public async Task<string> SubmitAsync(string scriptPath, CancellationToken cancellationToken)
    {
        var (code, output, error) = await RunAsync("sbatch", ["--parsable", scriptPath], cancellationToken);
        if (code != 0)
        {
            throw new PalmLabException($"Slurm refused the job: {OneLine(error, output)}");
        }
        // --parsable prints "id" or "id;cluster".
        return output.Trim().Split(';')[0];
    }

    /// <summary>Cancels a job; false with Slurm's message when it could not.</summary>
    public async Task<(bool Done, string Message)> CancelAsync(string jobId, CancellationToken cancellationToken)
    {
        var (code, output, error) = await RunAsync("scancel", [jobId], cancellationToken);
        return (code == 0, OneLine(error, output));
    }

    /// <summary>
    /// The state of each job: squeue for pending and running jobs, scontrol for jobs ended a short while ago, and sacct
    /// (with accounting, else the job completion log, sacct -c) for older ones. A job Slurm has no record of is absent.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, SlurmJobState>> StatesAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken)
    {
        var states = new Dictionary<string, SlurmJobState>();
        if (jobIds.Count == 0)
        {
            return states;
        }
        var (code, output, _) = await RunAsync("squeue", ["-h", "-t", "all", "-o", "%i|%T|%r|%N", "-j", string.Join(',', jobIds)], cancellationToken);
        if (code == 0)
        {
            foreach (var state in SlurmJobState.ParseSqueue(output))
            {
                states[state.JobId] = state;
            }
        }
        foreach (var jobId in jobIds.Where(id => !states.ContainsKey(id)))
        {
            if (await EndedStateAsync(jobId, cancellationToken) is { } state)
            {
                states[jobId] = state;
            }
        }
        return states;
    }

    /// <summary>The largest node of <paramref name="partition"/> (null: the default partition); null when sinfo does not say.</summary>
    public async Task<SlurmPartitionLimits?> PartitionLimitsAsync(string? partition, CancellationToken cancellationToken)
    {
        var (code, output, _) = await RunAsync("sinfo", ["-h", "-o", SlurmPartitionLimits.SinfoFormat], cancellationToken);
        return code == 0 ? SlurmPartitionLimits.Parse(output, partition) : null;
    }

    private async Task<SlurmJobState?> EndedStateAsync(string jobId, CancellationToken cancellationToken)
    {
        var (code, output, _) = await RunAsync("scontrol", ["show", "job", "-o", jobId], cancellationToken);
        if (code == 0 && SlurmJobState.ParseScontrol(output) is { } shown)
        {
            return shown;
        }
        (code, output, _) = await RunAsync("sacct", ["-j", jobId, "-X", "-n", "-P", "-o", "JobID,State,Reason,ExitCode,NodeList"], cancellationToken);
        if (code == 0 && SlurmJobState.ParseSacct(output, jobId) is { } accounted)
        {
            return accounted;
        }
        (code, output, _) = await RunAsync("sacct", ["-c", "-j", jobId, "-n", "-P", "-o", "jobid,state,nodelist"], cancellationToken);
        return code == 0 ? SlurmJobState.ParseCompletion(output, jobId) : null;
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        if (options.Value.Slurm.Conf is { Length: > 0 } conf)
        {
            start.Environment["SLURM_CONF"] = conf;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CommandTimeout);
        try
        {
            using var process = Process.Start(start) ?? throw new PalmLabException($"{tool} could not be started.");
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var error = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            return (process.ExitCode, await output, await error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            logger.LogError("{Tool} could not be started: {Message}", tool, e.Message);
            throw new PalmLabException($"{tool} is not installed on the dashboard's machine (or not on its PATH): {e.Message}");
        }
    }

    private static string OneLine(string error, string output)
    {
        var text = string.IsNullOrWhiteSpace(error) ? output : error;
        return string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
