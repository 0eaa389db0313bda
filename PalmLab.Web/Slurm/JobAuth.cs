using Microsoft.EntityFrameworkCore;
using PalmLab.Web.Data;

namespace PalmLab.Web.Slurm;

/// <summary>Checks a job's call: the token must be the one made for this run, and the run must still be running.</summary>
public static class JobAuth
{
    public static async Task<(Run? Run, IResult? Problem)> AuthorizeAsync(int runId, HttpRequest request, PalmLabDbContext db, CancellationToken cancellationToken)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || header.Length <= "Bearer ".Length)
        {
            return (null, TypedResults.Problem("A job's call needs its run's token: Authorization: Bearer <token>.", statusCode: StatusCodes.Status401Unauthorized));
        }
        var run = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        // The same answer whether the run exists or not: a token says nothing about other runs.
        if (run is null || run.Executor != RunExecutors.Slurm || !JobTokens.Matches(run.JobTokenHash, header["Bearer ".Length..].Trim()))
        {
            return (null, TypedResults.Problem($"This token is not valid for run {runId}.", statusCode: StatusCodes.Status403Forbidden));
        }
        if (run.Status != RunStatus.Running)
        {
            return (null, TypedResults.Problem($"Run {runId} is {run.Status}: its job should stop.", statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["runEnded"] = true }));
        }
        return (run, null);
    }
}
