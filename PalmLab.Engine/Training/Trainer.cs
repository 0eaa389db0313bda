using System.Diagnostics;
using PalmLab.Engine.Data;
using PalmLab.Engine.Models;
using PalmLab.Engine.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PalmLab.Engine.Training;

/// <summary>
/// Trains a ResNet on an iChallenge-PM layout with SGD and sigmoid cross-entropy, validating and checkpointing
/// ("last.ckpt", "best.ckpt") after every epoch.
/// </summary>
public static class Trainer
{
    public const string LastCheckpointName = "last.ckpt";
    public const string BestCheckpointName = "best.ckpt";

    private static readonly Lock SeedGate = new();

    /// <summary>
    /// Runs the whole training. With <paramref name="resumeFrom"/>, continues that checkpoint's run from the epoch after
    /// it, at the same schedule position; on CPU the result equals an uninterrupted run with the same seed.
    /// </summary>
    /// <exception cref="PalmLabException">Bad options, data or checkpoint; the message is meant for the user.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; takes effect before the next batch.</exception>
    public static TrainingResult Run(
        TrainingConfig config, string outputDir, TrainingHooks? hooks = null, string? resumeFrom = null, CancellationToken cancellationToken = default)
    {
        config.EnsureValid();
        if (config.Options.Folds is { } k && config.Fold is null)
        {
            throw new PalmLabException($"A {k}-fold cross-validation trains one fold at a time: train it through CrossValidation.Run.");
        }
        hooks ??= new TrainingHooks();
        var options = config.Options;
        var resumeHeader = resumeFrom is null ? null : Checkpoint.ReadHeader(resumeFrom);
        if (resumeHeader is not null)
        {
            EnsureResumable(resumeHeader.Config.Options, options, resumeFrom!);
        }
        var device = TorchRuntime.Initialize(config.Device, config.Threads);
        try
        {
            Directory.CreateDirectory(outputDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PalmLabException($"Cannot write checkpoints to {outputDir}: {e.Message}", e);
        }

        var loadClock = Stopwatch.StartNew();
        var (trainItems, validItems) = ReadData(config);
        var pathologic = trainItems.Count(i => i.Label == 1);
        if (DatasetReader.OneClassProblem(pathologic, trainItems.Count - pathologic) is { } oneClass)
        {
            // No path: a dashboard run shows this to its user; the CLI's user named the folder.
            throw new PalmLabException(char.ToUpperInvariant(oneClass[0]) + oneClass[1..]);
        }
        if (options.BatchSize > trainItems.Count)
        {
            throw new PalmLabException($"Invalid training options: batch-size: {options.BatchSize} is larger than the {trainItems.Count} training images.");
        }
        var dataFingerprint = DataFingerprint.Of(trainItems, validItems);
        if (resumeHeader?.DataFingerprint is { } savedFingerprint && savedFingerprint != dataFingerprint)
        {
            throw new PalmLabException(
                $"The images in {config.TrainDir}{(config.ValidDir is null ? "" : $" or {config.ValidDir}")} changed since {resumeFrom} was written " +
                "(files added, removed, renamed, resized or relabelled), so the run cannot continue on them: start a new run instead.");
        }
        var (trainSet, trainRows, validSet) = LoadData(config, trainItems, validItems, hooks.Loading, cancellationToken);
        using var train = trainSet;
        using var valid = validSet;
        var trainCount = trainRows.Length;
        var dataLoadSeconds = loadClock.Elapsed.TotalSeconds;
        bool? dataCacheHit = config.CacheDir is null ? null : train.FromCache && (valid?.FromCache ?? true);

        // A resumed run takes its weights from the checkpoint: its network is built from the recorded shape, which needs no
        // backbone file.
        using var model = resumeHeader is null
            ? CreateModel(config)
            : new ResNet(resumeHeader.NetworkArchitecture);
        model.to(device);
        using var optimizer = CreateOptimizer(model, options);

        var lastPath = Path.Combine(outputDir, LastCheckpointName);
        var bestPath = Path.Combine(outputDir, BestCheckpointName);
        var startEpoch = 1;
        double? bestAuc = null, bestAccuracy = null;
        if (resumeFrom is not null)
        {
            var header = Checkpoint.Load(resumeFrom, model, optimizer);
            startEpoch = header.Epoch + 1;
            (bestAuc, bestAccuracy) = (header.BestAuc, header.BestAccuracy);
            // A crash between writing "last" and copying it to "best" would leave best.ckpt an epoch behind for good.
            if (header.Result?.IsBest == true && (!File.Exists(bestPath) || Checkpoint.ReadHeader(bestPath).Epoch != header.Epoch))
            {
                Checkpoint.Copy(resumeFrom, bestPath);
            }
        }

        var batches = BatchPlan(trainCount, options.BatchSize);
        var batchesPerEpoch = batches.Count;
        long totalSteps = (long)batchesPerEpoch * options.Epochs;
        var epochs = new List<EpochResult>();
        var trainClock = Stopwatch.StartNew();

        for (var epoch = startEpoch; epoch <= options.Epochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            // Again every epoch: evaluation leaves every module in training mode, frozen batch norms included.
            FineTuning.Train(model, options);
            // Shuffle and augmentation derive from (seed, epoch) alone, so a resumed run draws what the original would have.
            var order = trainRows.ToArray();
            new Random(unchecked(options.Seed * 1_000_003 + epoch)).Shuffle(order);
            var augmentRandom = new Random(unchecked(options.Seed * 1_000_003 + epoch + 500_009));
            double lossSum = 0, rate = 0;
            for (var batch = 0; batch < batchesPerEpoch; batch++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batchClock = Stopwatch.StartNew();
                var step = (long)(epoch - 1) * batchesPerEpoch + batch;
                rate = LrSchedule.At(options, step, totalSteps);
                FineTuning.SetLearningRate(optimizer, rate);
                var indices = order.AsSpan(batches[batch].Start, batches[batch].Length);
                float loss;
                double dataSeconds;
                using (NewDisposeScope())
                {
                    var (images, labels) = train.Batch(indices, device);
                    images = Augmenter.Apply(images, options, augmentRandom);
                    dataSeconds = batchClock.Elapsed.TotalSeconds;
                    loss = Step(model, optimizer, images, labels);
                }
                if (!float.IsFinite(loss))
                {
                    throw Diverged($"at step {step + 1}, epoch {epoch}: the training loss is {loss}", rate);
                }
                lossSum += loss * indices.Length;
                var stepSeconds = batchClock.Elapsed.TotalSeconds;
                hooks.Batch?.Invoke(new BatchProgress(
                    epoch, batch + 1, batchesPerEpoch, step + 1, loss, rate, indices.Length / stepSeconds, stepSeconds, dataSeconds));
            }
            var trainSeconds = epochClock.Elapsed.TotalSeconds;

            EnsureFiniteWeights(model, epoch, rate);
            var evaluation = valid is null ? null : Evaluator.Evaluate(model, valid, options.BatchSize, options.Threshold, device, cancellationToken);
            if (evaluation is not null && !double.IsFinite(evaluation.Loss))
            {
                throw Diverged($"in epoch {epoch}: the validation loss is {evaluation.Loss}", rate);
            }
            var metrics = evaluation?.Metrics;
            var isBest = metrics is not null && IsBetter(metrics.Auc, metrics.Accuracy, bestAuc, bestAccuracy);
            if (isBest)
            {
                (bestAuc, bestAccuracy) = (metrics!.Auc, metrics.Accuracy);
            }
            var result = new EpochResult(
                epoch, options.Epochs, lossSum / trainCount, evaluation?.Loss, metrics, rate,
                epochClock.Elapsed.TotalSeconds, trainCount / trainSeconds, isBest);
            var header = new CheckpointHeader(
                config, epoch, (long)epoch * batchesPerEpoch, bestAuc, bestAccuracy, result, DateTimeOffset.UtcNow, dataFingerprint,
                model.Architecture.IsStandard ? null : model.Architecture);
            try
            {
                Checkpoint.Save(lastPath, header, model, optimizer);
                if (isBest)
                {
                    Checkpoint.Copy(lastPath, bestPath);
                }
            }
            catch (PalmLabException e)
            {
                // A full disk must not cost the epoch's metrics: report them (without a checkpoint), then stop.
                hooks.Epoch?.Invoke(result with { CheckpointFailed = true });
                throw new PalmLabException($"Epoch {epoch}'s metrics are recorded, but its checkpoint could not be written, so the training stops. {e.Message}", e);
            }
            epochs.Add(result);
            hooks.Epoch?.Invoke(result);
            // Native memory behind objects TorchSharp drops without Dispose is freed only by their finalizers, and the small
            // .NET heap rarely asks for a collection: without one an epoch, a ResNet's resident memory grew 10-20% over ten
            // epochs (docs/benchmarks.md, memory). It runs here, between native calls, and frees only what is unreachable:
            // it did not cause the Scalars freed mid-call (collections on other threads did, see KeepAliveSgd).
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        return new TrainingResult(
            config, device.type.ToString().ToLowerInvariant(), trainCount, valid?.Count ?? 0, dataLoadSeconds, dataCacheHit, trainClock.Elapsed.TotalSeconds,
            epochs, lastPath, File.Exists(bestPath) ? bestPath : null);
    }

    /// <summary>
    /// A freshly initialised network, seeded by the configuration (the same seed gives the same weights): from scratch, or
    /// the pretrained backbone of <see cref="TrainingOptions.Backbone"/> with a new head.
    /// </summary>
    public static ResNet CreateModel(TrainingConfig config)
    {
        // torch's generator is process-wide: runs started side by side must not interleave their draws.
        lock (SeedGate)
        {
            torch.manual_seed(config.Options.Seed);
            return config.Options.Backbone == Backbones.Backbones.Scratch
                ? new ResNet(config.Options.Depth)
                : Backbones.Backbones.Load(config.Options.Backbone, config.BackbonesDir);
        }
    }

    /// <summary>The optimizer a run trains <paramref name="model"/> with (<see cref="FineTuning.CreateOptimizer"/>).</summary>
    public static SGD CreateOptimizer(ResNet model, TrainingOptions options) => FineTuning.CreateOptimizer(model, options);

    /// <summary>
    /// One optimisation step on a batch (sigmoid cross-entropy, backward, SGD) and its loss. The tensors it makes belong to
    /// the caller's dispose scope, which it needs: a temporary tensor outside one can be finalized while libtorch uses it.
    /// </summary>
    public static float Step(ResNet model, SGD optimizer, Tensor images, Tensor labels)
    {
        var output = nn.functional.binary_cross_entropy_with_logits(model.call(images).flatten(), labels);
        optimizer.zero_grad();
        output.backward();
        optimizer.step();
        return output.item<float>();
    }

    /// <summary>Training and validation images for a configuration: a validation folder, a holdout, a fold, or none.</summary>
    public static (IReadOnlyList<LabeledImage> Train, IReadOnlyList<LabeledImage>? Validation) ReadData(TrainingConfig config)
    {
        var training = DatasetReader.ReadTrainingFolder(config.TrainDir).Images;
        if (config.Fold is { } fold)
        {
            return FoldSplit.Split(training, fold.Folds, fold.Index, config.Options.Seed);
        }
        if (config.Options.Holdout is { } fraction)
        {
            var (train, holdout) = HoldoutSplit.Split(training, fraction, config.Options.Seed);
            return (train, holdout);
        }
        return config.ValidDir is null ? (training, null) : (training, DatasetReader.ReadValidationFolder(config.ValidDir, config.LabelsPath).Images);
    }

    // The training set and the rows of it to train on: all of them, or for a holdout the held-in rows of the whole folder,
    // which is loaded (and cached) once for every seed and fraction and never copied; the held-out rows are copied out.
    private static (ImageTensorSet Train, long[] TrainRows, ImageTensorSet? Validation) LoadData(
        TrainingConfig config, IReadOnlyList<LabeledImage> trainItems, IReadOnlyList<LabeledImage>? validItems,
        IProgress<DataLoadProgress>? progress, CancellationToken cancellationToken)
    {
        var holdout = (config.Options.Holdout is not null || config.Fold is not null) && validItems is not null;
        var items = holdout ? trainItems.Concat(validItems!).OrderBy(i => i.Path, StringComparer.Ordinal).ToList() : trainItems;
        var train = ImageTensorSet.Load(items, config.Options.ImageSize, "train", progress, config.CacheDir, cancellationToken, config.CacheMaxBytes);
        try
        {
            if (holdout)
            {
                var rowOf = items.Select((item, row) => (item, row)).ToDictionary(p => p.item, p => (long)p.row);
                return (train, trainItems.Select(i => rowOf[i]).ToArray(), train.Subset(validItems!));
            }
            var valid = validItems is null ? null
                : ImageTensorSet.Load(validItems, config.Options.ImageSize, "validation", progress, config.CacheDir, cancellationToken, config.CacheMaxBytes);
            return (train, Enumerable.Range(0, train.Count).Select(i => (long)i).ToArray(), valid);
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    // Best by validation AUC, ties (and one-class sets, where AUC is absent) broken by accuracy.
    private static bool IsBetter(double? auc, double accuracy, double? bestAuc, double? bestAccuracy)
    {
        if (bestAccuracy is null)
        {
            return true;
        }
        var (a, b) = (auc ?? double.NegativeInfinity, bestAuc ?? double.NegativeInfinity);
        return a > b || (a == b && accuracy > bestAccuracy);
    }

    /// <summary>
    /// The batches of an epoch as (start, length) in the shuffled order. A last batch of a single image is merged into the
    /// one before it: batch normalisation of one image gives an infinite running variance, and the network NaN outputs.
    /// </summary>
    public static IReadOnlyList<(int Start, int Length)> BatchPlan(int count, int batchSize)
    {
        var plan = new List<(int Start, int Length)>();
        for (var start = 0; start < count; start += batchSize)
        {
            plan.Add((start, Math.Min(batchSize, count - start)));
        }
        if (plan.Count > 1 && plan[^1].Length == 1)
        {
            plan.RemoveAt(plan.Count - 1);
            plan[^1] = (plan[^1].Start, plan[^1].Length + 1);
        }
        return plan;
    }

    /// <summary>Refuses to continue a checkpoint as another model: both the checkpoint's and the asked-for values are named.</summary>
    public static void EnsureResumable(TrainingOptions saved, TrainingOptions asked, string path)
    {
        if (saved.Backbone != asked.Backbone)
        {
            throw new PalmLabException($"{path} started from the backbone {saved.Backbone}, not {asked.Backbone}.");
        }
        // Both decide which parameters are trained, and with them the optimizer's groups the checkpoint holds.
        if ((saved.BackboneLearningRate == 0) != (asked.BackboneLearningRate == 0) || saved.FreezeBatchNorm != asked.FreezeBatchNorm)
        {
            throw new PalmLabException(FormattableString.Invariant(
                $"{path} was trained with backbone-lr {saved.BackboneLearningRate} and freeze-bn {saved.FreezeBatchNorm.ToString().ToLowerInvariant()}, which froze other parameters than backbone-lr {asked.BackboneLearningRate} and freeze-bn {asked.FreezeBatchNorm.ToString().ToLowerInvariant()}."));
        }
        if (saved.Depth != asked.Depth)
        {
            throw new PalmLabException($"{path} holds a ResNet-{saved.Depth}, not the ResNet-{asked.Depth} asked for.");
        }
        if (saved.ImageSize != asked.ImageSize)
        {
            throw new PalmLabException($"{path} was trained on {saved.ImageSize}x{saved.ImageSize} images, not {asked.ImageSize}x{asked.ImageSize}.");
        }
        // Both decide which images are trained and held out: changing them would continue on another split.
        if (saved.Seed != asked.Seed || saved.Holdout != asked.Holdout)
        {
            throw new PalmLabException(FormattableString.Invariant(
                $"{path} was trained with seed {saved.Seed} and holdout {saved.Holdout?.ToString() ?? "none"}, not seed {asked.Seed} and holdout {asked.Holdout?.ToString() ?? "none"}."));
        }
    }

    private static PalmLabException Diverged(string where, double rate) => new(FormattableString.Invariant(
        $"Training diverged {where}. Everything up to the last finished epoch is kept; lower the learning rate (it was {rate:G3}) and start again."));

    // Non-finite weights must never be written as a checkpoint, least of all as the best one.
    private static void EnsureFiniteWeights(ResNet model, int epoch, double rate)
    {
        using var scope = NewDisposeScope();
        foreach (var (name, tensor) in model.state_dict())
        {
            if (tensor.is_floating_point() && !tensor.isfinite().all().item<bool>())
            {
                throw Diverged($"in epoch {epoch}: {name} holds NaN or infinite values", rate);
            }
        }
    }
}
