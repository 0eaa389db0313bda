using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
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
/// What a run's training process (its Slurm job, or its local child) talks to: its spec, its reports and its checkpoints. Each call carries the token made for
/// that run (Authorization: Bearer), and nothing else opens these endpoints: no key, no login.
/// </summary>
public static class JobsApi
{
    private const long MaxCheckpointBytes = 16L << 30;

    /// <summary>Where the jobs' endpoints live: a Bearer token sent there is a run's token, not the API key.</summary>
    public const string Root = "/api/jobs";

    // A call carries at most 50 reports of at most 500 batches (ReportSender), well under a megabyte; Kestrel's own bound is 30 MB.
    private const long MaxReportsBytes = 30L << 20;

    // The protocol's JSON, read as strictly as every other body: no duplicate keys, no unknown fields.
    private static readonly JsonSerializerOptions ReportJson = JsonBody.Strict(JobJson.Options);

    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup(Root + "/{id:int}").WithTags("Jobs").AllowAnonymous();
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
        var local = run.Executor == RunExecutors.Local;
        var config = RunMapping.ToConfig(run, dataSet, o.Device, threads: local ? o.Threads : 0, Path.GetFullPath(o.BackbonesDir));
        var folder = RunFolder.Of(o, run);
        var plan = RunPlanner.FindResumePoint(config, folder);
        if (local)
        {
            // A local child sees the dashboard's own folders: it writes its checkpoints in place, as the dashboard did.
            return TypedResults.Json(new JobSpec(id, config, folder.Path, plan.FirstFold, plan.ResumeFrom, DownloadResume: false), JobJson.Options);
        }
        var shared = o.Slurm.SharedCheckpointsDir is { Length: > 0 } s ? s : null;
        string? OnNode(string? path, string root, string? nodeRoot) => path is null ? null : NodePath(path, root, nodeRoot);
        config = config with
        {
            TrainDir = OnNode(config.TrainDir, o.DataSetsDir, o.Slurm.SharedDataSetsDir)!,
            ValidDir = OnNode(config.ValidDir, o.DataSetsDir, o.Slurm.SharedDataSetsDir),
            LabelsPath = OnNode(config.LabelsPath, o.DataSetsDir, o.Slurm.SharedDataSetsDir),
        };
        var spec = new JobSpec(id, config, OnNode(shared is null ? null : folder.Path, o.CheckpointsDir, shared), plan.FirstFold,
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
        var (body, bodyProblem) = await JsonBody.ReadAsync<JobReports>(http, MaxReportsBytes, ReportJson, ct);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        if (body?.Reports is not { } reports)
        {
            return TypedResults.Problem("Send {\"reports\": [...]}.", statusCode: StatusCodes.Status400BadRequest);
        }
        // Reports are numbered from 1 (ReportSender); a number below would read as "recorded before" and be acknowledged unapplied.
        for (var i = 0; i < reports.Count; i++)
        {
            if (reports[i].Seq < 1)
            {
                var (field, rule) = ($"reports[{i}].seq", $"must be 1 or more (reports are numbered from 1), not {reports[i].Seq}");
                return FieldProblems.Of(field, rule);
            }
        }
        return await recorder.RecordAsync(id, reports, ct);
    }

    private static async Task<IResult> PutCheckpoint(int id, string kind, [FromQuery(Name = "fold")] string? foldText, HttpContext http,
        IDbContextFactory<PalmLabDbContext> dbFactory, IOptions<PalmLabOptions> options, CancellationToken ct)
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
        var read = new QueryValues();
        var fold = read.Int("fold", foldText);
        if (((IResult?)read.Problem ?? FoldProblem(run, fold)) is { } foldProblem)
        {
            return foldProblem;
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxCheckpointBytes;
        }
        var (files, which) = (RunFolder.Of(options.Value, run), kind == "last" ? CheckpointKind.Last : CheckpointKind.Best);
        files.Claim();
        Directory.CreateDirectory(files.CheckpointFolder(fold));
        var target = files.Checkpoint(which, fold);
        var upload = files.CheckpointUpload(which, fold);
        try
        {
            await using (var file = File.Create(upload))
            {
                await http.Request.Body.CopyToAsync(file, ct);
            }
            // An upload is kept only if it is a checkpoint of this run's options: a broken or foreign file is refused.
            var header = Checkpoint.ReadHeader(upload);
            Trainer.EnsureResumable(header.Config.Options, run.Options, "The uploaded checkpoint");
            if (header.RunUid != run.Uid)
            {
                throw new PalmLab.Engine.PalmLabException("it carries another run's identity (or none): a job writes only its own run's checkpoints.");
            }
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

    private static async Task<IResult> GetResumeCheckpoint(int id, [FromQuery(Name = "fold")] string? foldText, HttpRequest http, IDbContextFactory<PalmLabDbContext> dbFactory, IOptions<PalmLabOptions> options, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (run, problem) = await JobAuth.AuthorizeAsync(id, http, db, ct);
        if (run is null)
        {
            return problem!;
        }
        var read = new QueryValues();
        var fold = read.Int("fold", foldText);
        if (((IResult?)read.Problem ?? FoldProblem(run, fold)) is { } foldProblem)
        {
            return foldProblem;
        }
        var files = RunFolder.Of(options.Value, run);
        var path = files.LastCheckpoint(fold);
        return File.Exists(path) && files.IsOwnCheckpoint(path)
            ? TypedResults.PhysicalFile(path, "application/octet-stream", files.DownloadName(CheckpointKind.Last, fold: null) + ".ckpt")
            : TypedResults.Problem($"Run {id} has no last checkpoint{(fold is null ? "" : $" for fold {fold}")}.", statusCode: StatusCodes.Status404NotFound);
    }

    private static ProblemHttpResult? FoldProblem(Run run, int? fold) =>
        (run.Options.Folds is { } folds ? fold is null || fold < 1 || fold > folds : fold is not null)
            ? TypedResults.Problem(run.Options.Folds is { } k ? $"Run {run.Id} has {k} folds: name one with ?fold=1 to ?fold={k}." : $"Run {run.Id} is not cross-validated: leave out ?fold.", statusCode: StatusCodes.Status400BadRequest)
            : null;
}
