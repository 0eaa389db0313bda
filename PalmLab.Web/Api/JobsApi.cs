using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PalmLab.Engine.Jobs;
using PalmLab.Engine.Training;
using PalmLab.Web.Data;
using PalmLab.Web.Options;
using PalmLab.Web.Runs;
using PalmLab.Web.Slurm;

namespace PalmLab.Web.Api;

/// <summary>
/// What a run's Slurm job talks to: its spec, its reports and its checkpoints. Each call carries the token made for
/// that run (Authorization: Bearer), and nothing else opens these endpoints: no key, no login.
/// </summary>
public static class JobsApi
{
    private const long MaxCheckpointBytes = 16L << 30;

    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/api/jobs/{id:int}").WithTags("Jobs").AllowAnonymous();
        jobs.MapGet("/spec", GetSpec).WithName("GetJobSpec").WithSummary("For the run's job: what to train, from where, with its folders as the nodes see them");
        jobs.MapPost("/reports", PostReports).WithName("PostJobReports").WithSummary("For the run's job: numbered reports (start, batches, epochs, end), each recorded once");
        jobs.MapPut("/checkpoints/{kind}", PutCheckpoint).WithName("PutJobCheckpoint").WithSummary("For the run's job: upload its last or best checkpoint (?fold=N), when there is no shared folder");
        jobs.MapGet("/checkpoints/last", GetResumeCheckpoint).WithName("GetJobResumeCheckpoint").WithSummary("For the run's job: the checkpoint to continue from (?fold=N)");
        return app;
    }

    private static async Task<IResult> GetSpec(int id, HttpRequest http, IDbContextFactory<PalmLabDbContext> dbFactory, IOptions<PalmLabOptions> options, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (run, problem) = await JobAuth.AuthorizeAsync(id, http, db, ct);
        if (run is null)
        {
            return problem!;
        }
        var o = options.Value;
        var dataSet = await db.DataSets.SingleAsync(d => d.Id == run.DataSetId, ct);
        var config = RunMapping.ToConfig(run, dataSet, o.Device, threads: 0);
        var dir = RunPlanner.CheckpointDir(o, id);
        var plan = RunPlanner.FindResumePoint(config, dir);
        var shared = o.Slurm.SharedCheckpointsDir is { Length: > 0 } s ? s : null;
        string? OnNode(string? path, string root, string? nodeRoot) => path is null ? null : NodePath(path, root, nodeRoot);
        config = config with
        {
            TrainDir = OnNode(config.TrainDir, o.DataSetsDir, o.Slurm.SharedDataSetsDir)!,
            ValidDir = OnNode(config.ValidDir, o.DataSetsDir, o.Slurm.SharedDataSetsDir),
            LabelsPath = OnNode(config.LabelsPath, o.DataSetsDir, o.Slurm.SharedDataSetsDir),
        };
        var spec = new JobSpec(id, config, OnNode(shared is null ? null : dir, o.CheckpointsDir, shared), plan.FirstFold,
            shared is null ? null : OnNode(plan.ResumeFrom, o.CheckpointsDir, shared), DownloadResume: shared is null && plan.ResumeFrom is not null);
        return TypedResults.Json(spec, JobJson.Options);
    }

    /// <summary><paramref name="path"/> under <paramref name="root"/> as a node sees it, under <paramref name="nodeRoot"/>.</summary>
    public static string NodePath(string path, string root, string? nodeRoot)
    {
        var full = Path.GetFullPath(path);
        var rootFull = Path.GetFullPath(root);
        if (string.IsNullOrEmpty(nodeRoot) || !full.StartsWith(rootFull.TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            return full;
        }
        return Path.Join(nodeRoot, Path.GetRelativePath(rootFull, full));
    }

    private static async Task<IResult> PostReports(int id, HttpRequest http, IDbContextFactory<PalmLabDbContext> dbFactory, JobReportRecorder recorder, CancellationToken ct)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var (run, problem) = await JobAuth.AuthorizeAsync(id, http, db, ct);
            if (run is null)
            {
                return problem!;
            }
        }
        if (JsonBody.NotJson(http) is { } notJson)
        {
            return notJson;
        }
        JobReports? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JobReports>(http.Body, JobJson.Options, ct);
        }
        catch (JsonException e)
        {
            return TypedResults.Problem($"The reports are not valid JSON: {e.Message}", statusCode: StatusCodes.Status400BadRequest);
        }
        if (body?.Reports is not { } reports)
        {
            return TypedResults.Problem("Send {\"reports\": [...]}.", statusCode: StatusCodes.Status400BadRequest);
        }
        return await recorder.RecordAsync(id, reports, ct);
    }

    private static async Task<IResult> PutCheckpoint(int id, string kind, int? fold, HttpContext http, IDbContextFactory<PalmLabDbContext> dbFactory, IOptions<PalmLabOptions> options, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (run, problem) = await JobAuth.AuthorizeAsync(id, http.Request, db, ct);
        if (run is null)
        {
            return problem!;
        }
        if (kind is not ("last" or "best"))
        {
            return TypedResults.Problem($"There is no checkpoint kind '{kind}': use 'best' or 'last'.", statusCode: StatusCodes.Status400BadRequest);
        }
        if (FoldProblem(run, fold) is { } foldProblem)
        {
            return foldProblem;
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxCheckpointBytes;
        }
        var folder = RunPlanner.CheckpointFolder(options.Value, id, fold);
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, kind == "last" ? Trainer.LastCheckpointName : Trainer.BestCheckpointName);
        var upload = Path.Combine(folder, $".{kind}.upload-{Guid.NewGuid():N}");
        try
        {
            await using (var file = File.Create(upload))
            {
                await http.Request.Body.CopyToAsync(file, ct);
            }
            // An upload is kept only if it is a checkpoint of this run's options: a broken or foreign file is refused.
            var header = Checkpoint.ReadHeader(upload);
            Trainer.EnsureResumable(header.Config.Options, run.Options, "The uploaded checkpoint");
            File.Move(upload, target, overwrite: true);
            return TypedResults.NoContent();
        }
        catch (Exception e) when (e is PalmLab.Engine.PalmLabException or InvalidDataException or EndOfStreamException)
        {
            return TypedResults.Problem($"The upload is not a checkpoint of run {id}: {e.Message}", statusCode: StatusCodes.Status400BadRequest);
        }
        finally
        {
            File.Delete(upload);
        }
    }

    private static async Task<IResult> GetResumeCheckpoint(int id, int? fold, HttpRequest http, IDbContextFactory<PalmLabDbContext> dbFactory, IOptions<PalmLabOptions> options, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (run, problem) = await JobAuth.AuthorizeAsync(id, http, db, ct);
        if (run is null)
        {
            return problem!;
        }
        if (FoldProblem(run, fold) is { } foldProblem)
        {
            return foldProblem;
        }
        var path = Path.Combine(RunPlanner.CheckpointFolder(options.Value, id, fold), Trainer.LastCheckpointName);
        return File.Exists(path)
            ? TypedResults.PhysicalFile(path, "application/octet-stream", $"run-{id}-last.ckpt")
            : TypedResults.Problem($"Run {id} has no last checkpoint{(fold is null ? "" : $" for fold {fold}")}.", statusCode: StatusCodes.Status404NotFound);
    }

    private static ProblemHttpResult? FoldProblem(Run run, int? fold) =>
        (run.Options.Folds is { } folds ? fold is null || fold < 1 || fold > folds : fold is not null)
            ? TypedResults.Problem(run.Options.Folds is { } k ? $"Run {run.Id} has {k} folds: name one with ?fold=1 to ?fold={k}." : $"Run {run.Id} is not cross-validated: leave out ?fold.", statusCode: StatusCodes.Status400BadRequest)
            : null;
}
