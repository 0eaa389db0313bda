using Microsoft.EntityFrameworkCore;
using PalmLab.Web.Data;
using PalmLab.Web.Security;

namespace PalmLab.Web.Slurm;

/// <summary>
/// Checks a training process's call (a Slurm job's or a local child's): the token must be the one made for this run,
/// and the run must still be running.
/// </summary>
public static class JobAuth
{
    /// <summary>409 with "runEnded": the run is over on the dashboard (cancelled there, say), and its job stops when told.</summary>
    public static IResult RunEnded(int runId, RunStatus status) => TypedResults.Problem(
        $"Run {runId} is {status}: its job should stop.", statusCode: StatusCodes.Status409Conflict,
        extensions: new Dictionary<string, object?> { ["runEnded"] = true });

    public static async Task<(Run? Run, IResult? Problem)> AuthorizeAsync(int runId, HttpRequest request, PalmLabDbContext db, CancellationToken cancellationToken)
    {
        if (BearerToken.Read(request) is not { } token)
        {
            return (null, RunTokens.Rejected());
        }
        var run = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        // The same answer whether the run exists or not: a token says nothing about other runs.
        if (run is null || run.Executor is not (RunExecutors.Slurm or RunExecutors.Local) || !RunTokens.IsValid(run.JobTokenHash, token))
        {
            return (null, TypedResults.Problem($"This token is not valid for run {runId}.", statusCode: StatusCodes.Status403Forbidden));
        }
        if (run.Status != RunStatus.Running)
        {
            return (null, RunEnded(runId, run.Status));
        }
        return (run, null);
    }
}
