using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PalmLab.Engine;
using PalmLab.Engine.Inference;
using PalmLab.Web.Data;
using PalmLab.Web.Options;
using PalmLab.Web.Runs;
using SixLabors.ImageSharp;

namespace PalmLab.Web.Predictions;

/// <summary>
/// Prediction for the Predict page and POST /api/predict: which checkpoints can predict, which one is the default, and
/// the probabilities (with Grad-CAM heat maps when asked) of a list of uploaded images, each file failing on its own.
/// </summary>
public sealed class PredictionService(
    IDbContextFactory<PalmLabDbContext> dbFactory, ModelCache<Predictor> models, IOptions<PalmLabOptions> options, ILogger<PredictionService> logger)
{
    /// <summary>The longest side of the preview and heat map PNGs.</summary>
    public const int PreviewSide = 512;

    /// <summary>The longest side of a table thumbnail.</summary>
    public const int ThumbnailSide = 96;

    public PalmLabOptions Settings => options.Value;

    /// <summary>
    /// Every checkpoint whose file is still there, and each cross-validated run's ensemble of fold models: completed runs
    /// first, then by validation AUC, an ensemble before best before last.
    /// </summary>
    public async Task<IReadOnlyList<CheckpointChoice>> ListCheckpointsAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await (
            // A cross-validated run's fold models are offered together, as its ensemble, not one by one under one key.
            from c in db.Checkpoints.AsNoTracking().Where(c => c.Fold == null)
            join r in db.Runs.AsNoTracking() on c.RunId equals r.Id
            join d in db.DataSets.AsNoTracking() on r.DataSetId equals d.Id
            from m in db.EpochMetrics.AsNoTracking().Where(m => m.RunId == c.RunId && m.Fold == null && m.Epoch == c.Epoch).DefaultIfEmpty()
            select new
            {
                Choice = new CheckpointChoice(c.Id, r.Id, r.Name, r.Status, c.Kind, c.Epoch, r.Options.Depth, r.Options.ImageSize,
                    r.Options.Threshold, m == null ? null : m.Auc, m == null ? null : m.Accuracy, d.Name, c.Path),
                r.Uid,
            })
            .ToListAsync(cancellationToken);
        var ensembles = await FoldEnsembles.ListAsync(db, options.Value, cancellationToken);
        // A file that another run (of an earlier database, say) wrote under this run's name is never predicted with; a
        // damaged one of its own is offered, so that using it says it is damaged.
        return rows
            .Where(c => File.Exists(c.Choice.Path) && !new RunFolder(options.Value, c.Choice.RunId, c.Uid).IsForeignCheckpoint(c.Choice.Path))
            .Select(c => c.Choice)
            .Concat(ensembles)
            .OrderByDescending(c => c.Status == RunStatus.Completed)
            .ThenByDescending(c => c.Auc ?? -1)
            .ThenByDescending(c => c.IsEnsemble)
            .ThenByDescending(c => c.Kind == CheckpointKind.Best)
            .ThenByDescending(c => c.RunId)
            .ToList();
    }

    /// <summary>The best checkpoint of the completed run with the best validation AUC; failing that, the first single checkpoint.</summary>
    public static CheckpointChoice? DefaultOf(IReadOnlyList<CheckpointChoice> choices) =>
        choices.Where(c => c.Status == RunStatus.Completed && c.Kind == CheckpointKind.Best && !c.IsEnsemble).MaxBy(c => c.Auc ?? -1)
        ?? choices.FirstOrDefault(c => !c.IsEnsemble) ?? choices.FirstOrDefault();

    /// <summary>Why run <paramref name="runId"/> offers no ensemble: 404 (no such run, its fold models not all written) or 400 (not cross-validated).</summary>
    public async Task<(int Status, string Detail)> WhyNoEnsembleAsync(int runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await FoldEnsembles.WhyNoneAsync(db, options.Value, runId, cancellationToken);
    }

    /// <summary>The run a key names when it asks for an ensemble ("12:ensemble"); null for any other key.</summary>
    public static int? EnsembleRunOf(string key) =>
        key.Trim().Split(':') is [var run, var kind] && kind.Equals(CheckpointChoice.EnsembleKind, StringComparison.OrdinalIgnoreCase)
        && int.TryParse(run, out var id) ? id : null;

    /// <summary>
    /// The choice named by <paramref name="key"/>: "RUN:best", "RUN:last", "RUN:ensemble" (a cross-validated run's fold
    /// models) or "RUN" (its best, else its last); null when there is no such checkpoint. Throws
    /// <see cref="FormatException"/> when the key is not of that form.
    /// </summary>
    public static CheckpointChoice? Find(IReadOnlyList<CheckpointChoice> choices, string key)
    {
        var parts = key.Trim().Split(':');
        if (parts.Length > 2 || !int.TryParse(parts[0], out var runId)
            || (parts.Length == 2 && parts[1].ToLowerInvariant() is not ("best" or "last" or CheckpointChoice.EnsembleKind)))
        {
            throw new FormatException($"'{Shorten(key)}' is not a checkpoint: write RUN:best, RUN:last or RUN:ensemble, such as 12:best.");
        }
        var ofRun = choices.Where(c => c.RunId == runId);
        return parts.Length == 2
            ? ofRun.FirstOrDefault(c => c.KindName == parts[1].ToLowerInvariant())
            : ofRun.Where(c => !c.IsEnsemble).OrderByDescending(c => c.Kind == CheckpointKind.Best).FirstOrDefault();
    }

    /// <summary>
    /// Predicts every upload with <paramref name="checkpoint"/> (an ensemble's probability is the mean of its fold models'),
    /// in order; a file that is not a usable image gets its message and the others go on. With <paramref name="cam"/>, each
    /// prediction carries its Grad-CAM images: of the class its label at <paramref name="camThreshold"/> names, or of both
    /// classes when that is null (for a page whose threshold moves without predicting again); <paramref name="tta"/> flip
    /// averages each image with its mirror.
    /// Throws <see cref="PalmLabException"/> when the checkpoint itself cannot be loaded.
    /// </summary>
    public async Task<IReadOnlyList<FilePrediction>> PredictAsync(
        CheckpointChoice checkpoint, IReadOnlyList<ImageUpload> uploads, bool cam, TestTimeAugmentation tta, CancellationToken cancellationToken,
        double? camThreshold = null)
    {
        var paths = checkpoint.MemberPaths.Select(Path.GetFullPath).ToList();
        var files = paths.Select(p => new FileInfo(p)).ToList();
        if (files.Any(f => !f.Exists))
        {
            throw new PalmLabException(checkpoint.IsEnsemble
                ? $"A fold model of run {checkpoint.RunId} ({checkpoint.RunName}) is no longer on disk."
                : $"The {checkpoint.KindName} checkpoint of run {checkpoint.RunId} ({checkpoint.RunName}) is no longer on disk.");
        }
        // A running run rewrites its checkpoint files: the version is part of the key, so a new file is loaded anew. An
        // ensemble is one entry of the cache, keyed by all its files.
        var key = string.Join("\n", files.Select(f => $"{f.FullName}|{f.LastWriteTimeUtc.Ticks}|{f.Length}"));
        var settings = options.Value;
        var outcomes = await models.UseAsync(key, () => Load(checkpoint, paths, settings),
            predictor => uploads.Select(u => Run(predictor, u, cam, tta, cancellationToken)).ToArray(), cancellationToken);
        // Drawing the images needs no model: done outside its gate, in parallel.
        var results = new FilePrediction[uploads.Count];
        await Parallel.ForAsync(0, uploads.Count, cancellationToken, (i, _) =>
        {
            results[i] = outcomes[i].Explanation is { } explanation
                ? outcomes[i].Prediction with { Cam = TryDraw(uploads[i], explanation, camThreshold is { } t ? outcomes[i].Prediction.LabelAt(t) : null) }
                : outcomes[i].Prediction;
            return ValueTask.CompletedTask;
        });
        return results;
    }

    // The engine's message names the file, which a page or an API answer must not show: it goes to the log, the user
    // gets which run's checkpoint it is.
    private Predictor Load(CheckpointChoice checkpoint, IReadOnlyList<string> paths, PalmLabOptions settings)
    {
        Predictor? predictor = null;
        try
        {
            predictor = Predictor.Load(paths, settings.Device, settings.Threads);
            // An upload's probability through ONNX Runtime: 1.8-8x faster on the CPU (docs/benchmarks.md); Grad-CAM stays on TorchSharp.
            predictor.UseOnnxRuntime(settings.Threads);
            return predictor;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            predictor?.Dispose();
            logger.LogWarning(e, "Checkpoint {Checkpoint} could not be loaded", checkpoint.Key);
            throw new PalmLabException(checkpoint.IsEnsemble
                ? $"A fold model of run {checkpoint.RunId} ({checkpoint.RunName}) is damaged or unreadable, so the ensemble cannot predict: choose another checkpoint."
                : $"The {checkpoint.KindName} checkpoint of run {checkpoint.RunId} ({checkpoint.RunName}) is damaged or unreadable, so it cannot predict: choose another checkpoint.", e);
        }
    }

    private (FilePrediction Prediction, Explanation? Explanation) Run(
        Predictor predictor, ImageUpload upload, bool cam, TestTimeAugmentation tta, CancellationToken cancellationToken)
    {
        if (upload.Bytes is null)
        {
            return (new FilePrediction(upload.Name, null, upload.Error ?? $"{upload.Name}: was not received."), null);
        }
        if (cancellationToken.IsCancellationRequested)
        {
            return (new FilePrediction(upload.Name, null, $"{upload.Name}: not predicted, the request was cancelled."), null);
        }
        try
        {
            if (cam)
            {
                var explanation = predictor.Explain(upload.Bytes, upload.Name, tta);
                return (new FilePrediction(upload.Name, explanation.Prediction.Probability, null), explanation);
            }
            var prediction = predictor.Predict(upload.Bytes, upload.Name, tta);
            return (new FilePrediction(upload.Name, prediction.Probability, null), null);
        }
        catch (PalmLabException e)
        {
            return (new FilePrediction(upload.Name, null, e.Message), null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A decoder fault the checks did not foresee costs this file, not the request; the details go to the log only.
            logger.LogWarning(e, "Prediction of an upload failed unexpectedly");
            return (new FilePrediction(upload.Name, null, $"{upload.Name}: not a readable image."), null);
        }
    }

    private CamImages? TryDraw(ImageUpload upload, Explanation explanation, int? onlyLabel)
    {
        try
        {
            return Draw(upload, explanation, onlyLabel);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The probability stands; only its pictures are missing.
            logger.LogWarning(e, "Drawing the heat map of an upload failed");
            return null;
        }
    }

    // Both classes' maps unless onlyLabel names the one needed.
    private static CamImages Draw(ImageUpload upload, Explanation explanation, int? onlyLabel)
    {
        var bytes = upload.Bytes!;
        var preview = CamImage.PreviewPng(bytes, upload.Name, PreviewSide);
        var info = Image.Identify(preview);
        ClassCam? DrawClass(int label)
        {
            if (onlyLabel is { } only && only != label)
            {
                return null;
            }
            var map = explanation.MapOf(label);
            var heatMap = CamImage.HeatMapPng(map, explanation.Size, info.Width, info.Height);
            var thumbnail = CamImage.OverlayPng(bytes, upload.Name, map, explanation.Size, 0.5, ThumbnailSide);
            return new ClassCam(label, heatMap, thumbnail);
        }
        return new CamImages(preview, info.Width, info.Height, DrawClass(1), DrawClass(0));
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
