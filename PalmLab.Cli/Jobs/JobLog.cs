namespace PalmLab.Cli.Jobs;

/// <summary>A job's lines on standard error, which Slurm keeps in the job's slurm-JOBID.out: each with its time.</summary>
internal static class JobLog
{
    public static void Write(string message) => Console.Error.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss} {message}");
}
