namespace PalmLab.Web.Data;

public enum RunStatus
{
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
    Interrupted,

    /// <summary>A sweep's trial stopped early because it was losing; <see cref="Run.ErrorMessage"/> says why.</summary>
    Stopped,
}
