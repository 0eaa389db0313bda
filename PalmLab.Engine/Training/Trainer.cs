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
/// <remarks>
/// <see cref="Run"/> reads as the loop it is; each step is a method below it, in the order it runs. Preparing the data
/// lives in Trainer.Data.cs, checking and continuing a checkpoint in Trainer.Resume.cs.
/// </remarks>
public static partial class Trainer
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
        var resumeHeader = CheckRequest(config, resumeFrom);
        var device = TorchRuntime.Initialize(config.Device, config.Threads);
        if (TorchRuntime.PrecisionProblem(config.Options.Precision, device) is { } problem)
        {
            throw new PalmLabException(problem);
        }
        CreateOutputFolder(outputDir);

        using var data = PrepareData(config, resumeHeader, resumeFrom, hooks?.Loading, cancellationToken);
        // A resumed run takes its weights from the checkpoint: its network is built from the recorded shape, which needs no
        // backbone file.
        using var model = resumeHeader is null ? CreateModel(config) : new ResNet(resumeHeader.NetworkArchitecture);
        model.to(device);
        using var optimizer = CreateOptimizer(model, config.Options);
        var session = new TrainingSession(config, device, data, model, optimizer, hooks ?? new TrainingHooks(), outputDir);
        var startEpoch = resumeFrom is null ? 1 : Resume(session, resumeFrom);

        var epochs = new List<EpochResult>();
        var trainClock = Stopwatch.StartNew();
        for (var epoch = startEpoch; epoch <= config.Options.Epochs; epoch++)
        {
            var trained = TrainEpoch(session, epoch, cancellationToken);
            var result = Validate(session, trained, cancellationToken);
            SaveCheckpoints(session, result);
            epochs.Add(result);
            session.Hooks.Epoch?.Invoke(result);
            CollectDroppedNativeMemory();
        }

        return new TrainingResult(
            config, device.type.ToString().ToLowerInvariant(), data.TrainRows.Length, data.Validation?.Count ?? 0, data.LoadSeconds, data.CacheHit,
            trainClock.Elapsed.TotalSeconds, epochs, session.LastPath, File.Exists(session.BestPath) ? session.BestPath : null);
    }

    private static void CreateOutputFolder(string outputDir)
    {
        try
        {
            Directory.CreateDirectory(outputDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PalmLabException($"Cannot write checkpoints to {outputDir}: {e.Message}", e);
        }
    }

    // One pass over the training rows in the epoch's shuffled order.
    private static EpochTraining TrainEpoch(TrainingSession session, int epoch, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var options = session.Options;
        // Again every epoch: evaluation leaves every module in training mode, frozen batch norms included.
        FineTuning.Train(session.Model, options);
        session.Model.Precision = options.Precision;
        // Shuffle and augmentation derive from (seed, epoch) alone, so a resumed run draws what the original would have.
        var order = session.Data.TrainRows.ToArray();
        new Random(unchecked(options.Seed * 1_000_003 + epoch)).Shuffle(order);
        var augmentRandom = new Random(unchecked(options.Seed * 1_000_003 + epoch + 500_009));
        double lossSum = 0, rate = 0;
        for (var batch = 0; batch < session.Batches.Count; batch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            (var loss, rate) = TrainBatch(session, epoch, batch, order, augmentRandom);
            lossSum += loss * session.Batches[batch].Length;
        }
        return new EpochTraining(epoch, clock, lossSum / order.Length, rate, clock.Elapsed.TotalSeconds);
    }

    // One optimisation step on one batch, its tensors in a dispose scope of their own; reported through the Batch hook.
    private static (float Loss, double LearningRate) TrainBatch(TrainingSession session, int epoch, int batch, long[] order, Random augmentRandom)
    {
        var batchClock = Stopwatch.StartNew();
        var batchesPerEpoch = session.Batches.Count;
        var step = (long)(epoch - 1) * batchesPerEpoch + batch;
        var rate = LrSchedule.At(session.Options, step, session.TotalSteps);
        FineTuning.SetLearningRate(session.Optimizer, rate);
        var indices = order.AsSpan(session.Batches[batch].Start, session.Batches[batch].Length);
        float loss;
        double dataSeconds;
        using (NewDisposeScope())
        {
            var (images, labels) = session.Data.Train.Batch(indices, session.Device);
            images = Augmenter.Apply(images, session.Options, augmentRandom);
            dataSeconds = batchClock.Elapsed.TotalSeconds;
            loss = Step(session.Model, session.Optimizer, images, labels);
        }
        if (!float.IsFinite(loss))
        {
            throw Diverged($"at step {step + 1}, epoch {epoch}: the training loss is {loss}", rate);
        }
        var stepSeconds = batchClock.Elapsed.TotalSeconds;
        session.Hooks.Batch?.Invoke(new BatchProgress(
            epoch, batch + 1, batchesPerEpoch, step + 1, loss, rate, indices.Length / stepSeconds, stepSeconds, dataSeconds));
        return (loss, rate);
    }

    // The epoch's result: the weights checked, the validation set evaluated, and the best epoch so far updated.
    private static EpochResult Validate(TrainingSession session, EpochTraining trained, CancellationToken cancellationToken)
    {
        var (epoch, rate) = (trained.Epoch, trained.LearningRate);
        EnsureFiniteWeights(session.Model, epoch, rate);
        // Validation in fp32 whatever the training's precision: a bf16 run's metrics are its weights' (issue 24 decides
        // evaluation's own precision by the predictions it flips).
        session.Model.Precision = Precision.Fp32;
        var evaluation = session.Data.Validation is not { } valid ? null
            : Evaluator.Evaluate(session.Model, valid, session.Options.BatchSize, session.Options.Threshold, session.Device, cancellationToken);
        if (evaluation is not null && !double.IsFinite(evaluation.Loss))
        {
            throw Diverged($"in epoch {epoch}: the validation loss is {evaluation.Loss}", rate);
        }
        var metrics = evaluation?.Metrics;
        var isBest = metrics is not null && IsBetter(metrics.Auc, metrics.Accuracy, session.BestAuc, session.BestAccuracy);
        if (isBest)
        {
            (session.BestAuc, session.BestAccuracy) = (metrics!.Auc, metrics.Accuracy);
        }
        var trainCount = session.Data.TrainRows.Length;
        return new EpochResult(
            epoch, session.Options.Epochs, trained.Loss, evaluation?.Loss, metrics, rate,
            trained.Clock.Elapsed.TotalSeconds, trainCount / trained.Seconds, isBest);
    }

    // "last.ckpt" every epoch and, for a best one, "best.ckpt" as the same file (a hard link where possible).
    private static void SaveCheckpoints(TrainingSession session, EpochResult result)
    {
        var epoch = result.Epoch;
        var header = new CheckpointHeader(
            session.Config, epoch, (long)epoch * session.Batches.Count, session.BestAuc, session.BestAccuracy, result, DateTimeOffset.UtcNow,
            session.Data.Fingerprint, session.Model.Architecture.IsStandard ? null : session.Model.Architecture);
        try
        {
            Checkpoint.Save(session.LastPath, header, session.Model, session.Optimizer);
            if (result.IsBest)
            {
                Checkpoint.Link(session.LastPath, session.BestPath);
            }
        }
        catch (PalmLabException e)
        {
            // A full disk must not cost the epoch's metrics: report them (without a checkpoint), then stop.
            session.Hooks.Epoch?.Invoke(result with { CheckpointFailed = true });
            throw new PalmLabException($"Epoch {epoch}'s metrics are recorded, but its checkpoint could not be written, so the training stops. {e.Message}", e);
        }
    }

    // Native memory behind objects TorchSharp drops without Dispose is freed only by their finalizers, and the small .NET
    // heap rarely asks for a collection: without one an epoch, a ResNet's resident memory grew 10-20% over ten epochs
    // (docs/benchmarks.md, memory). It runs between epochs, between native calls, and frees only what is unreachable: it
    // did not cause the Scalars freed mid-call (collections on other threads did, see KeepAliveSgd).
    private static void CollectDroppedNativeMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
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

    // What the steps of one training share: its data, network and optimizer, the batches of an epoch, where its checkpoints
    // go, and the best validation so far (which a resumed run takes from its checkpoint).
    private sealed class TrainingSession(
        TrainingConfig config, Device device, TrainingData data, ResNet model, SGD optimizer, TrainingHooks hooks, string outputDir)
    {
        public TrainingConfig Config { get; } = config;
        public TrainingOptions Options { get; } = config.Options;
        public Device Device { get; } = device;
        public TrainingData Data { get; } = data;
        public ResNet Model { get; } = model;
        public SGD Optimizer { get; } = optimizer;
        public TrainingHooks Hooks { get; } = hooks;
        public IReadOnlyList<(int Start, int Length)> Batches { get; } = BatchPlan(data.TrainRows.Length, config.Options.BatchSize);
        public long TotalSteps => (long)Batches.Count * Options.Epochs;
        public string LastPath { get; } = Path.Combine(outputDir, LastCheckpointName);
        public string BestPath { get; } = Path.Combine(outputDir, BestCheckpointName);
        public double? BestAuc { get; set; }
        public double? BestAccuracy { get; set; }
    }

    // An epoch's training pass: its clock (still running, for the epoch's whole time), mean loss, last learning rate and
    // the seconds the pass took.
    private readonly record struct EpochTraining(int Epoch, Stopwatch Clock, double Loss, double LearningRate, double Seconds);
}
