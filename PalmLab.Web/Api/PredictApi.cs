using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using PalmLab.Engine;
using PalmLab.Web.Options;
using PalmLab.Web.Predictions;

namespace PalmLab.Web.Api;

/// <summary>POST /api/predict: the probability of pathologic myopia for uploaded fundus images, with Grad-CAM on request.</summary>
public static class PredictApi
{
    public const string Description = """
        A multipart/form-data body with one or more image files (JPEG or PNG, any field name, usually `file`) and
        optionally these fields:
        `checkpoint`: `RUN:best` or `RUN:last` (such as `12:best`; a bare `12` means that run's best), or `RUN:ensemble` for a
        cross-validated run: the mean of its fold models' probabilities (each fold's best checkpoint). Left out: the best
        checkpoint of the completed run with the highest validation AUC.
        `tta`: `none` (the default) or `flip`: each image's probability is the mean of its own and its horizontal mirror's
        (per model); with `cam=true` the heat map is the mean of both (and of every fold model's).
        `threshold`: between 0 and 1, for the labels (default: the run's own threshold).
        `cam`: `true` adds to each result `camPng`, the Grad-CAM heat map of the last convolutional stage as a base64 PNG
        (RGBA, the image's orientation and aspect, longest side 512 px, to be laid over the image; red = what drove the
        prediction most), and `explains`: the class whose evidence the map shows, `pathologic` or `not pathologic`, always
        the class of the result's `label` (an image labelled not pathologic gets the evidence against pathologic myopia).
        The answer has one result per file in upload order: `probability`, `label` (1 = pathologic myopia) at `threshold`,
        or an `error` for a file that is not a usable image (empty, truncated, not an image, too many pixels, larger than
        PalmLab:MaxPredictFileBytes), while the other files still get theirs. The whole request is refused with 413 past
        PalmLab:MaxPredictRequestBytes or PalmLab:MaxPredictFiles files, 400 for a malformed form or field (an ensemble of a
        run that is not cross-validated included), 404 when the checkpoint does not exist, no run has a checkpoint yet, or
        a cross-validated run has not written every fold's best checkpoint yet, 409 when the checkpoint's file is gone or
        damaged. The answer's `checkpoint` says which
        model answered: `members` (the checkpoints averaged, such as `12:fold-1:best`) and `tta`.
        """;

    public static IEndpointRouteBuilder MapPredictApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/predict", PredictAsync)
            .WithTags("PalmLab")
            .WithName("Predict")
            .WithSummary("The probability of pathologic myopia for each uploaded image, with its Grad-CAM heat map when cam=true")
            .WithDescription(Description)
            .Accepts<IFormFile>("multipart/form-data")
            .Produces<PredictResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return app;
    }

    private static async Task<IResult> PredictAsync(HttpContext http, PredictionService predictions, IOptions<PalmLabOptions> options, CancellationToken ct)
    {
        var settings = options.Value;
        // Kestrel's default bound (about 28.6 MB) is not this endpoint's: allow the request bound, checked again while reading.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = settings.MaxPredictRequestBytes;
        }
        var (form, problem) = await PredictForm.ReadAsync(http.Request, settings, ct);
        if (problem is not null)
        {
            return problem;
        }

        var choices = await predictions.ListCheckpointsAsync(ct);
        var ensembleRun = form!.Checkpoint is { } asked ? PredictionService.EnsembleRunOf(asked) : null;
        if (ensembleRun is { } run && choices.All(c => c.Key != $"{run}:{CheckpointChoice.EnsembleKind}"))
        {
            var (status, detail) = await predictions.WhyNoEnsembleAsync(run, ct);
            return status == StatusCodes.Status400BadRequest
                ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["checkpoint"] = [detail] })
                : NotFound(detail);
        }
        if (choices.Count == 0)
        {
            return NotFound("There is no trained checkpoint yet: train a run first (POST /api/runs, or New run in the dashboard), then predict with it.");
        }
        CheckpointChoice? checkpoint;
        try
        {
            checkpoint = form.Checkpoint is { } key ? PredictionService.Find(choices, key) : PredictionService.DefaultOf(choices);
        }
        catch (FormatException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["checkpoint"] = [e.Message] });
        }
        if (checkpoint is null)
        {
            return NotFound($"There is no checkpoint {form.Checkpoint}: GET /api/runs lists the runs, and each run's checkpoints (best, last).");
        }

        try
        {
            var threshold = form.Threshold ?? checkpoint.Threshold;
            var results = await predictions.PredictAsync(checkpoint, form.Files, form.Cam, form.Tta, ct, camThreshold: threshold);
            return TypedResults.Ok(new PredictResponse(PredictCheckpointDto.From(checkpoint, form.Tta), threshold,
                results.Select(r => PredictedFileDto.From(r, threshold)).ToList()));
        }
        catch (PalmLabException e)
        {
            // The checkpoint's file is gone or damaged: the record and the disk disagree, which no retry of this request mends.
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The checkpoint cannot be used", detail: e.Message);
        }
    }

    private static IResult NotFound(string detail) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: detail);
}
