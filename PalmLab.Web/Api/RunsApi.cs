using System.Globalization;
using CsvHelper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PalmLab.Engine.Training;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Web.Api;

/// <summary>The REST API under /api: runs, their curves (JSON and CSV) and data sets.</summary>
public static class RunsApi
{
    // A run request is a few options, a name, tags and notes (at most 20,000 characters).
    private const long MaxRunRequestBytes = 256 * 1024;

    public static IEndpointRouteBuilder MapPalmLabApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("PalmLab");
        api.MapGet("/datasets", ListDataSets);
        api.MapGet("/runs", ListRuns);
        api.MapGet("/runs/{id:int}", GetRun);
        api.MapPost("/runs", QueueRun)
            .Accepts<RunRequest>("application/json")
            .Produces<RunDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        api.MapPost("/runs/{id:int}/cancel", (int id, RunService runs, CancellationToken ct) => Act(id, runs.CancelAsync(id, ct)));
        api.MapPost("/runs/{id:int}/resume", (int id, RunService runs, CancellationToken ct) => Act(id, runs.ResumeAsync(id, ct)));
        api.MapPost("/runs/{id:int}/clone", CloneRun);
        api.MapDelete("/runs/{id:int}", (int id, RunService runs, CancellationToken ct) => Act(id, runs.DeleteAsync(id, ct)));
        api.MapGet("/runs/{id:int}/batch-losses", GetBatchLosses);
        api.MapGet("/runs/{id:int}/batch-losses.csv", GetBatchLossesCsv);
        api.MapGet("/runs/{id:int}/epochs", GetEpochs);
        api.MapGet("/runs/{id:int}/epochs.csv", GetEpochsCsv);
        return app;
    }

    private static async Task<List<DataSetDto>> ListDataSets(IDbContextFactory<PalmLabDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await db.DataSets.OrderBy(d => d.Name).ToListAsync(ct)).Select(DataSetDto.From).ToList();
    }

    private static async Task<List<RunDto>> ListRuns(
        IDbContextFactory<PalmLabDbContext> dbFactory, RunStatus? status, string? tag, string? search, int? dataSetId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Runs.Include(r => r.DataSet).AsNoTracking();
        if (status is { } s) query = query.Where(r => r.Status == s);
        if (dataSetId is { } d) query = query.Where(r => r.DataSetId == d);
        // Tags are stored trimmed and comma-separated: match a whole tag, so "alpha" does not find "alphabet".
        if (!string.IsNullOrWhiteSpace(tag)) query = query.Where(r => r.Tags != null && ("," + r.Tags + ",").Contains("," + tag.Trim() + ","));
        if (!string.IsNullOrWhiteSpace(search)) query = query.Where(r => r.Name.Contains(search) || (r.Notes != null && r.Notes.Contains(search)));
        var runs = await query.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).ToListAsync(ct);
        return runs.Select(r => RunDto.From(r, withDetails: false)).ToList();
    }

    private static async Task<Results<Ok<RunDto>, ProblemHttpResult>> GetRun(int id, IDbContextFactory<PalmLabDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.Runs.Include(r => r.DataSet).Include(r => r.EpochMetrics).Include(r => r.Checkpoints)
            .AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
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
        return run is null ? TypedResults.ValidationProblem(errors) : TypedResults.Created($"/api/runs/{run.Id}", RunDto.From(run, withDetails: false));
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

    private static async Task<Results<Ok<IReadOnlyList<BatchPoint>>, ProblemHttpResult>> GetBatchLosses(
        int id, int? points, IDbContextFactory<PalmLabDbContext> dbFactory, LiveRuns live, CancellationToken ct)
    {
        var curve = await ReadCurveAsync(id, points, dbFactory, live, ct);
        return curve is null ? RunNotFound(id) : TypedResults.Ok(curve);
    }

    private static async Task<IResult> GetBatchLossesCsv(int id, int? points, IDbContextFactory<PalmLabDbContext> dbFactory, LiveRuns live, CancellationToken ct)
    {
        var curve = await ReadCurveAsync(id, points, dbFactory, live, ct);
        return curve is null ? RunNotFound(id) : Csv($"run-{id}-batch-losses.csv", ["step", "epoch", "loss", "learning_rate"],
            curve.Select(p => new[] { Text(p.Step), Text(p.Epoch), Text(p.Loss), Text(p.LearningRate) }));
    }

    private static async Task<Results<Ok<List<EpochResult>>, ProblemHttpResult>> GetEpochs(int id, IDbContextFactory<PalmLabDbContext> dbFactory, CancellationToken ct)
    {
        var epochs = await ReadEpochsAsync(id, dbFactory, ct);
        return epochs is null ? RunNotFound(id) : TypedResults.Ok(epochs);
    }

    private static async Task<IResult> GetEpochsCsv(int id, IDbContextFactory<PalmLabDbContext> dbFactory, CancellationToken ct)
    {
        var epochs = await ReadEpochsAsync(id, dbFactory, ct);
        if (epochs is null)
        {
            return RunNotFound(id);
        }
        using var buffer = new MemoryStream();
        EpochCsv.Write(buffer, epochs);
        return TypedResults.File(buffer.ToArray(), "text/csv", $"run-{id}-epochs.csv");
    }

    /// <summary>
    /// The whole curve: pending (not yet written) points are read before the database, so a point moving from one to
    /// the other in between is still seen; duplicates are removed by step.
    /// </summary>
    private static async Task<IReadOnlyList<BatchPoint>?> ReadCurveAsync(
        int id, int? points, IDbContextFactory<PalmLabDbContext> dbFactory, LiveRuns live, CancellationToken ct)
    {
        var pending = live.PendingLosses(id);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Runs.AnyAsync(r => r.Id == id, ct))
        {
            return null;
        }
        var stored = await db.BatchLosses.Where(b => b.RunId == id).OrderBy(b => b.Step)
            .Select(b => new BatchPoint(b.Step, b.Epoch, b.Loss, b.LearningRate)).ToListAsync(ct);
        var last = stored.Count > 0 ? stored[^1].Step : 0;
        stored.AddRange(pending.Where(p => p.Step > last));
        return Downsampler.MinMax(stored, points ?? 0);
    }

    private static async Task<List<EpochResult>?> ReadEpochsAsync(int id, IDbContextFactory<PalmLabDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var options = await db.Runs.Where(r => r.Id == id).Select(r => r.Options).SingleOrDefaultAsync(ct);
        if (options is null)
        {
            return null;
        }
        return (await db.EpochMetrics.Where(m => m.RunId == id).OrderBy(m => m.Epoch).ToListAsync(ct)).Select(m => m.ToResult(options)).ToList();
    }

    private static IResult Csv(string fileName, string[] header, IEnumerable<string[]> rows)
    {
        using var buffer = new MemoryStream();
        using (var csv = CsvWriter.Create(buffer, CsvWriterOptions.Default with { NewLine = "\n" }, leaveOpen: true))
        {
            csv.WriteHeader(header);
            foreach (var row in rows)
            {
                csv.WriteRecord(row);
            }
        }
        return TypedResults.File(buffer.ToArray(), "text/csv", fileName);
    }

    private static string Text<T>(T value) where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);

    private static string Text<T>(T? value) where T : struct, IFormattable => value?.ToString(null, CultureInfo.InvariantCulture) ?? "";
}
