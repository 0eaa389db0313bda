using System.Diagnostics;
using PalmLab.Engine.Data;

namespace PalmLab.Engine.Training;

// Preparing a run's data: which images train and validate, whether they can train, and their tensors.
public static partial class Trainer
{
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

    // The images read, checked (against the checkpoint's too, when resuming) and loaded as tensors.
    private static TrainingData PrepareData(
        TrainingConfig config, CheckpointHeader? resumeHeader, string? resumeFrom, IProgress<DataLoadProgress>? progress, CancellationToken cancellationToken)
    {
        var loadClock = Stopwatch.StartNew();
        var (trainItems, validItems) = ReadData(config);
        EnsureTrainable(trainItems, config.Options.BatchSize);
        var fingerprint = DataFingerprint.Of(trainItems, validItems);
        if (resumeHeader?.DataFingerprint is { } savedFingerprint && savedFingerprint != fingerprint)
        {
            throw new PalmLabException(
                $"The images in {config.TrainDir}{(config.ValidDir is null ? "" : $" or {config.ValidDir}")} changed since {resumeFrom} was written " +
                "(files added, removed, renamed, resized or relabelled), so the run cannot continue on them: start a new run instead.");
        }
        var (train, trainRows, validation) = LoadData(config, trainItems, validItems, progress, cancellationToken);
        var loadSeconds = loadClock.Elapsed.TotalSeconds;
        bool? cacheHit = config.CacheDir is null ? null : train.FromCache && (validation?.FromCache ?? true);
        return new TrainingData(train, trainRows, validation, fingerprint, loadSeconds, cacheHit);
    }

    private static void EnsureTrainable(IReadOnlyList<LabeledImage> trainItems, int batchSize)
    {
        var pathologic = trainItems.Count(i => i.Label == 1);
        if (DatasetReader.OneClassProblem(pathologic, trainItems.Count - pathologic) is { } oneClass)
        {
            // No path: a dashboard run shows this to its user; the CLI's user named the folder.
            throw new PalmLabException(char.ToUpperInvariant(oneClass[0]) + oneClass[1..]);
        }
        if (batchSize > trainItems.Count)
        {
            throw new PalmLabException($"Invalid training options: batch-size: {batchSize} is larger than the {trainItems.Count} training images.");
        }
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

    // A run's loaded data, what it was loaded from (its fingerprint) and how long loading took.
    private sealed class TrainingData(
        ImageTensorSet train, long[] trainRows, ImageTensorSet? validation, string fingerprint, double loadSeconds, bool? cacheHit) : IDisposable
    {
        public ImageTensorSet Train { get; } = train;
        public long[] TrainRows { get; } = trainRows;
        public ImageTensorSet? Validation { get; } = validation;
        public string Fingerprint { get; } = fingerprint;
        public double LoadSeconds { get; } = loadSeconds;
        public bool? CacheHit { get; } = cacheHit;

        public void Dispose()
        {
            Validation?.Dispose();
            Train.Dispose();
        }
    }
}
