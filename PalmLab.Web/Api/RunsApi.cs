using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PalmLab.Engine.Training;
using PalmLab.Web.Data;
using PalmLab.Web.Options;
using PalmLab.Web.Runs;

namespace PalmLab.Web.Api;

/// <summary>The REST API under /api: runs and their curves (JSON and CSV).</summary>
public static class RunsApi
{
    // A run request is a few options, a name, tags and notes (at most 20,000 characters).
    private const long MaxRunRequestBytes = 256 * 1024;
    private const int DefaultRunsLimit = 100;
    private const int MaxRunsLimit = 1000;

    public static IEndpointRouteBuilder MapPalmLabApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("PalmLab");
        api.MapGet("/runs", ListRuns).WithName("ListRuns").WithSummary("Runs, newest first, filtered by status, data set, tag and text; one page (limit, offset) with the total in X-Total-Count");
        api.MapGet("/runs/{id:int}", GetRun).WithName("GetRun").WithSummary("One run with its options, epochs and checkpoints");
        api.MapPost("/runs", QueueRun)
            .WithName("QueueRun")
            .WithSummary("Queue a run: a data set, a preset and any training options (camelCase) that override it")
            .Accepts<RunRequest>("application/json")
            .Produces<RunDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        api.MapPatch("/runs/{id:int}", UpdateRun)
            .WithName("UpdateRun")
            .WithSummary("Rename a run or replace its notes or tags (comma-separated); absent fields are kept")
            .Accepts<RunDetailsUpdate>("application/json")
            .Produces<RunDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/runs/{id:int}/checkpoints/{kind}", DownloadCheckpoint)
            .WithName("DownloadCheckpoint")
            .WithSummary("Download the run's best or last checkpoint file (?fold=N: that fold's, of a cross-validated run)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapOnnxExport();
        api.MapPost("/runs/{id:int}/cancel", (int id, RunService runs, CancellationToken ct) => Act(id, runs.CancelAsync(id, ct)))
            .WithName("CancelRun").WithSummary("Cancel a queued run at once, a running one before its next batch");
        api.MapPost("/runs/{id:int}/resume", (int id, RunService runs, CancellationToken ct) => Act(id, runs.ResumeAsync(id, ct)))
            .WithName("ResumeRun").WithSummary("Continue an interrupted, cancelled or failed run from its last checkpoint");
        api.MapPost("/runs/{id:int}/clone", CloneRun).WithName("CloneRun").WithSummary("Queue a new run with the same options");
        api.MapDelete("/runs/{id:int}", (int id, RunService runs, CancellationToken ct) => Act(id, runs.DeleteAsync(id, ct)))
            .WithName("DeleteRun").WithSummary("Delete a run that is not running, with its rows and checkpoint files");
        api.MapGet("/runs/{id:int}/batch-losses", GetBatchLosses)
            .WithName("GetBatchLosses").WithSummary("The loss of every batch; after=STEP only later ones; points=N keeps each bucket's minimum and maximum");
        api.MapGet("/runs/{id:int}/batch-losses.csv", GetBatchLossesCsv).WithName("GetBatchLossesCsv").WithSummary("The batch losses as CSV");
        api.MapGet("/runs/{id:int}/epochs", GetEpochs).WithName("GetEpochs").WithSummary("Per-epoch results with every validation metric (?fold=N: that fold's, of a cross-validated run)");
        api.MapGet("/runs/{id:int}/epochs.csv", GetEpochsCsv).WithName("GetEpochsCsv").WithSummary("Per-epoch results as CSV (a cross-validated run: one row per fold and epoch, with a fold column)");
        return app;
    }

    // One page of runs per request: the whole list of 10,000 runs was 7.6 MB and took half a second.
    // The numbers and the status are read from their text (QueryValues), so a bad one is answered with its rule.
    private static async Task<Results<Ok<List<RunDto>>, ValidationProblem>> ListRuns(
        RunQueries queries, HttpResponse response, [FromQuery(Name = "status")] string? statusText, string? tag, string? search,
        [FromQuery(Name = "dataSetId")] string? dataSetIdText, [FromQuery(Name = "limit")] string? limitText, [FromQuery(Name = "offset")] string? offsetText,
        CancellationToken ct)
    {
        var read = new QueryValues();
        var status = read.Enum<RunStatus>("status", statusText);
        var dataSetId = read.Int("dataSetId", dataSetIdText);
        var limit = read.Int("limit", limitText, 1, MaxRunsLimit, $"leave it out for {DefaultRunsLimit}");
        var offset = read.Int("offset", offsetText, 0, hint: "the number of runs to skip");
        if (read.Problem is { } problem)
        {
            return problem;
        }
        // The runs page's filter and search (RunSearch), so both find the same runs for the same words.
        var filter = new RunListFilter { Status = status, DataSetId = dataSetId, Tag = tag, Search = search };
        var (runs, total) = await queries.RunsAsync(filter, offset ?? 0, limit ?? DefaultRunsLimit, ct);
        response.Headers["X-Total-Count"] = total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Ok(runs.Select(r => RunDto.From(r, withDetails: false)).ToList());
    }

    private static async Task<Results<Ok<RunDto>, ProblemHttpResult>> GetRun(int id, IDbContextFactory<PalmLabDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Two collections: one query each, rather than a join that repeats every epoch for every checkpoint.
        var run = await db.Runs.Include(r => r.DataSet).Include(r => r.EpochMetrics).Include(r => r.Checkpoints)
            .AsSplitQuery().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
        return run is null ? RunNotFound(id) : TypedResults.Ok(RunDto.From(run, withDetails: true));
    }

    private static async Task<IResult> QueueRun(HttpRequest http, RunService runs, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync<RunRequest>(http, MaxRunRequestBytes, ct);
        if (problem is not null)
        {
            return problem;
        }
        var (run, errors) = await runs.QueueAsync(request!, ct);
        return run is null ? FieldProblems.Of(errors) : TypedResults.Created($"/api/runs/{run.Id}", RunDto.From(run, withDetails: false));
    }

    private static async Task<IResult> UpdateRun(int id, HttpRequest http, RunService runs, CancellationToken ct)
    {
        var (update, problem) = await JsonBody.ReadAsync<RunDetailsUpdate>(http, MaxRunRequestBytes, ct);
        if (problem is not null)
        {
            return problem;
        }
        var result = await runs.UpdateDetailsAsync(id, update!, ct);
        return !result.Found ? RunNotFound(id)
            : result.Run is null ? FieldProblems.Of(result.Errors)
            : TypedResults.Ok(RunDto.From(result.Run, withDetails: false));
    }

    // The file is found through the run's checkpoint row, never through a path from the request, and is downloaded
    // under a name made here.
    private static async Task<IResult> DownloadCheckpoint(
        int id, string kind, [FromQuery(Name = "fold")] string? foldText, IDbContextFactory<PalmLabDbContext> dbFactory, IOptions<PalmLabOptions> options, CancellationToken ct)
    {
        var (checkpoint, problem) = await RunCheckpointFile.FindAsync(id, kind, foldText, options.Value, dbFactory, ct);
        if (checkpoint is null)
        {
            return problem!;
        }
        // A file of the same name written by another run (of an earlier database, say) is never served as this run's.
        if (!checkpoint.Folder.IsOwnCheckpoint(checkpoint.Path))
        {
            return TypedResults.Problem($"{checkpoint.Description} file was written by another run, so it is not served; the run's own checkpoint is gone.", statusCode: StatusCodes.Status409Conflict);
        }
        return TypedResults.PhysicalFile(checkpoint.Path, "application/octet-stream", checkpoint.DownloadName + ".ckpt", enableRangeProcessing: true);
    }

    private static async Task<Results<Created<RunDto>, ProblemHttpResult>> CloneRun(int id, RunService runs, CancellationToken ct)
    {
        var clone = await runs.CloneAsync(id, ct);
        return clone is null ? RunNotFound(id) : TypedResults.Created($"/api/runs/{clone.Id}", RunDto.From(clone, withDetails: false));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Act(int id, Task<RunActionResult> action)
    {
        var result = await action;
        return !result.Found ? RunNotFound(id)
            : result.Refusal is { } why ? TypedResults.Problem(why, statusCode: StatusCodes.Status409Conflict)
            : TypedResults.NoContent();
    }

    private static ProblemHttpResult RunNotFound(int id) => TypedResults.Problem($"Run {id} does not exist.", statusCode: StatusCodes.Status404NotFound);

    private const string PointsHint = "about how many to keep; 0 or none keeps every batch";

    private static async Task<Results<Ok<IReadOnlyList<BatchPoint>>, ProblemHttpResult, ValidationProblem>> GetBatchLosses(int id,
        [FromQuery(Name = "points")] string? pointsText, [FromQuery(Name = "after")] string? afterText, IDbContextFactory<PalmLabDbContext> dbFactory, CancellationToken ct)
    {
        var read = new QueryValues();
        var points = read.Int("points", pointsText, 0, hint: PointsHint);
        var after = read.Long("after", afterText, hint: "a step");
        if (read.Problem is { } problem)
        {
            return problem;
        }
        var curve = await RunReader.ReadCurveAsync(dbFactory, id, points ?? 0, ct, after ?? 0);
        return curve is null ? RunNotFound(id) : TypedResults.Ok(curve);
    }

    private static async Task<IResult> GetBatchLossesCsv(
        int id, [FromQuery(Name = "points")] string? pointsText, IDbContextFactory<PalmLabDbContext> dbFactory, CancellationToken ct)
    {
        var read = new QueryValues();
        var points = read.Int("points", pointsText, 0, hint: PointsHint);
        if (read.Problem is { } problem)
        {
            return problem;
        }
        var curve = await RunReader.ReadCurveAsync(dbFactory, id, points ?? 0, ct);
        return curve is null ? RunNotFound(id) : TypedResults.File(BatchPoint.Csv.ToBytes(curve), "text/csv", $"run-{id}-batch-losses.csv");
    }

    private static async Task<Results<Ok<List<EpochResult>>, ProblemHttpResult, ValidationProblem>> GetEpochs(
        int id, [FromQuery(Name = "fold")] string? foldText, IDbContextFactory<PalmLabDbContext> dbFactory, CancellationToken ct)
    {
        var read = new QueryValues();
        var fold = read.Int("fold", foldText);
        if (read.Problem is { } problem)
        {
            return problem;
        }
        var rows = await RunReader.ReadFoldEpochsAsync(dbFactory, id, ct);
        if (rows is null)
        {
            return RunNotFound(id);
        }
        if (fold is null && rows.Any(r => r.Fold is not null))
        {
            return TypedResults.Problem(
                $"Run {id} is cross-validated: ask for one fold's epochs with ?fold=N, or read every fold in epochs.csv or GET /api/runs/{id}.",
                statusCode: StatusCodes.Status400BadRequest);
        }
        return TypedResults.Ok(rows.Where(r => r.Fold == fold).Select(r => r.Epoch).ToList());
    }

    // A cross-validated run's CSV has one row per fold and epoch, with the fold first.
    private static async Task<IResult> GetEpochsCsv(int id, IDbContextFactory<PalmLabDbContext> dbFactory, CancellationToken ct)
    {
        var rows = await RunReader.ReadFoldEpochsAsync(dbFactory, id, ct);
        if (rows is null)
        {
            return RunNotFound(id);
        }
        var csv = rows.Any(r => r.Fold is not null) ? EpochCsv.FoldTable.ToBytes(rows) : EpochCsv.Table.ToBytes(rows.Select(r => r.Epoch));
        return TypedResults.File(csv, "text/csv", $"run-{id}-epochs.csv");
    }
}
