namespace PalmLab.Web.Data;

/// <summary>The executors a run can train on (<see cref="Run.Executor"/>, the setting PalmLab:Executor).</summary>
public static class RunExecutors
{
    public const string Local = "local";

    public const string Slurm = "slurm";
}
