using Microsoft.EntityFrameworkCore;
using PalmLab.Web.Data;
using PalmLab.Web.Options;
using PalmLab.Web.Runs;

namespace PalmLab.Web.Api;

/// <summary>
/// The checkpoint file a download asks for (GET /api/runs/{id}/checkpoints/{kind}, and its /onnx): found through the run's
/// checkpoint row, never through a path from the request, and named for the download from the run's id, never from user text.
/// Its run's <see cref="RunFolder"/> says whether the file is provably the run's.
/// </summary>
internal sealed record RunCheckpointFile(string Path, RunFolder Folder, string Description, string DownloadName)
{
    /// <summary>The file, or the problem to answer: 400 for a bad kind or fold, 404 for no such run or no such checkpoint on disk.</summary>
    public static async Task<(RunCheckpointFile? File, IResult? Problem)> FindAsync(
        int id, string kind, string? foldText, PalmLabOptions options, IDbContextFactory<PalmLabDbContext> dbFactory, CancellationToken ct)
    {
        var read = new QueryValues();
        var fold = read.Int("fold", foldText);
        if (read.Problem is { } problem)
        {
            return (null, problem);
        }
        if (!Enum.TryParse<CheckpointKind>(kind, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || kind.Any(char.IsDigit))
        {
            return (null, TypedResults.Problem($"There is no checkpoint kind '{kind}': use 'best' or 'last'.", statusCode: StatusCodes.Status400BadRequest));
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var runs = db.Runs.Where(r => r.Id == id);
        if (!await runs.AnyAsync(ct))
        {
            return (null, TypedResults.Problem($"Run {id} does not exist.", statusCode: StatusCodes.Status404NotFound));
        }
        // Each fold of a cross-validated run has its own checkpoints: the request names the fold.
        var folds = await runs.Select(r => r.Options.Folds).SingleAsync(ct);
        if (folds is null ? fold is not null : fold is null || fold < 1 || fold > folds)
        {
            return (null, TypedResults.Problem(folds is null
                ? $"Run {id} is not cross-validated: leave out ?fold."
                : $"Run {id} is a {folds}-fold cross-validation: name the fold with ?fold=1 to ?fold={folds}.", statusCode: StatusCodes.Status400BadRequest));
        }
        var checkpoint = await db.Checkpoints.AsNoTracking().SingleOrDefaultAsync(c => c.RunId == id && c.Fold == fold && c.Kind == parsed, ct);
        var name = parsed.ToString().ToLowerInvariant();
        var which = fold is null ? "" : $" fold {fold}";
        if (checkpoint is null || !System.IO.File.Exists(checkpoint.Path))
        {
            return (null, TypedResults.Problem($"Run {id}{which} has no {name} checkpoint (none is written before its first epoch ends).", statusCode: StatusCodes.Status404NotFound));
        }
        var files = new RunFolder(options, id, await runs.Select(r => r.Uid).SingleAsync(ct));
        return (new RunCheckpointFile(checkpoint.Path, files, $"Run {id}{which}'s {name} checkpoint", files.DownloadName(parsed, fold)), null);
    }
}
