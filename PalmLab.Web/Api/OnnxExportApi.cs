using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PalmLab.Engine;
using PalmLab.Engine.Onnx;
using PalmLab.Web.Data;
using PalmLab.Web.Options;
using PalmLab.Web.Runs;

namespace PalmLab.Web.Api;

/// <summary>GET /api/runs/{id}/checkpoints/{kind}/onnx: a run's checkpoint exported to ONNX, found and guarded as the checkpoint download is.</summary>
public static class OnnxExportApi
{
    public static RouteGroupBuilder MapOnnxExport(this RouteGroupBuilder api)
    {
        api.MapGet("/runs/{id:int}/checkpoints/{kind}/onnx", DownloadOnnx)
            .WithName("DownloadCheckpointOnnx")
            .WithSummary("Download the run's best or last checkpoint as ONNX (?fold=N: that fold's): input 'image', float RGB 0-255 [N, 3, S, S] at the run's image size; output 'probability' [N, 1]; batch norm folded")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<IResult> DownloadOnnx(int id, string kind, [FromQuery(Name = "fold")] string? foldText,
        IDbContextFactory<PalmLabDbContext> dbFactory, IOptions<PalmLabOptions> options, ILoggerFactory loggers, CancellationToken ct)
    {
        var (checkpoint, problem) = await RunCheckpointFile.FindAsync(id, kind, foldText, options.Value, dbFactory, ct);
        if (checkpoint is null)
        {
            return problem!;
        }
        // Another run's file is never exported as this run's; a damaged one of its own says so (as prediction does).
        if (checkpoint.Folder.IsForeignCheckpoint(checkpoint.Path))
        {
            return TypedResults.Problem($"{checkpoint.Description} file was written by another run, so it is not served; the run's own checkpoint is gone.", statusCode: StatusCodes.Status409Conflict);
        }
        try
        {
            var onnx = await Task.Run(() => OnnxExporter.Export(checkpoint.Path), ct);
            return TypedResults.File(onnx, "application/octet-stream", checkpoint.DownloadName + ".onnx");
        }
        catch (PalmLabException e)
        {
            // The engine's message names the server's path: the log gets it, the answer says which checkpoint it is.
            loggers.CreateLogger(typeof(OnnxExportApi)).LogWarning(e, "Run {RunId}'s {Kind} checkpoint could not be exported", id, kind);
            return TypedResults.Problem($"{checkpoint.Description} is damaged or unreadable, so it cannot be exported.", statusCode: StatusCodes.Status409Conflict);
        }
    }
}
