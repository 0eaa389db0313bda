namespace PalmLab.Engine.Training;

/// <summary>The mean and sample standard deviation (n - 1; null for a single value) of one metric over the folds.</summary>
public sealed record MeanStd(double Mean, double? Std, int Count)
{
    /// <summary>Over the values present; null when none is (AUC of one-class folds, for instance).</summary>
    public static MeanStd? Of(IEnumerable<double?> values)
    {
        var present = values.Where(v => v is not null).Select(v => v!.Value).ToArray();
        if (present.Length == 0)
        {
            return null;
        }
        var mean = present.Average();
        double? std = present.Length < 2 ? null : Math.Sqrt(present.Sum(v => (v - mean) * (v - mean)) / (present.Length - 1));
        return new MeanStd(mean, std, present.Length);
    }
}

/// <summary>Every metric of one epoch (or the final epoch) summarised over the folds; metric names as in epochs.csv.</summary>
public sealed record CrossValidationEpoch(int Epoch, IReadOnlyDictionary<string, MeanStd?> Metrics);

public sealed record CrossValidationResult(int Folds, IReadOnlyList<TrainingResult> FoldResults, IReadOnlyList<CrossValidationEpoch> Epochs)
{
    /// <summary>The last epoch's summary: what each fold ended with.</summary>
    public CrossValidationEpoch Final => Epochs[^1];
}

/// <summary>k-fold cross-validation: trains fold 1..k one after another, each into OUT/fold-N/, with the same options.</summary>
public static class CrossValidation
{
    /// <summary>The metrics summarised, in order.</summary>
    public static readonly IReadOnlyList<(string Name, Func<EpochResult, double?> Value)> Metrics =
    [
        ("train_loss", e => e.TrainLoss),
        ("val_loss", e => e.ValidationLoss),
        ("accuracy", e => e.Validation?.Accuracy),
        ("auc", e => e.Validation?.Auc),
        ("sensitivity", e => e.Validation?.Sensitivity),
        ("specificity", e => e.Validation?.Specificity),
        ("precision", e => e.Validation?.Precision),
        ("f1", e => e.Validation?.F1),
    ];

    private const string FoldPrefix = "fold-";

    public static string FoldFolder(string outputDir, int fold) => Path.Combine(outputDir, $"{FoldPrefix}{fold}");

    /// <summary>The search pattern that finds the fold folders of a cross-validation's folder.</summary>
    public const string FoldFolderPattern = FoldPrefix + "*";

    /// <summary>The fold (1 or more) a folder named <paramref name="name"/> ("fold-3") holds, or null for any other name.</summary>
    public static int? FoldOf(string name) =>
        name.StartsWith(FoldPrefix, StringComparison.Ordinal) && int.TryParse(name[FoldPrefix.Length..], out var fold) && fold > 0 ? fold : null;

    /// <summary>
    /// Trains every fold (<see cref="TrainingOptions.Folds"/>) of <paramref name="config"/>'s training folder;
    /// <paramref name="hooksFor"/> gets the 1-based fold.
    /// </summary>
    /// <exception cref="PalmLabException">Bad options or data (too many folds for the smallest class, for one).</exception>
    public static CrossValidationResult Run(
        TrainingConfig config, string outputDir, Func<int, TrainingHooks>? hooksFor = null, CancellationToken cancellationToken = default)
    {
        var folds = EnsureFoldsFit(config, cancellationToken);
        var results = new List<TrainingResult>();
        for (var fold = 1; fold <= folds; fold++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results.Add(RunFold(config, outputDir, fold, hooksFor?.Invoke(fold), null, cancellationToken));
        }
        return new CrossValidationResult(folds, results, Summarise(results.Select(r => r.Epochs).ToList()));
    }

    /// <summary>
    /// Trains folds <paramref name="firstFold"/> to K one after another, the first continuing from
    /// <paramref name="resumeFrom"/> when given: how an interrupted cross-validation goes on from the fold in progress.
    /// <paramref name="hooksFor"/> gets the 1-based fold just before that fold trains.
    /// </summary>
    /// <exception cref="PalmLabException">Bad options or data (too many folds for the smallest class, for one).</exception>
    public static void RunFrom(
        TrainingConfig config, string outputDir, int firstFold, string? resumeFrom, Func<int, TrainingHooks> hooksFor, CancellationToken cancellationToken = default)
    {
        var folds = EnsureFoldsFit(config, cancellationToken);
        for (var fold = firstFold; fold <= folds; fold++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            RunFold(config, outputDir, fold, hooksFor(fold), fold == firstFold ? resumeFrom : null, cancellationToken);
        }
    }

    /// <summary>
    /// The number of folds of <paramref name="config"/>, after checking its options and that every class of its training
    /// folder has at least that many distinct images; call it before any fold trains.
    /// </summary>
    /// <exception cref="PalmLabException">No folds asked for, bad options, or too many folds for the smallest class.</exception>
    public static int EnsureFoldsFit(TrainingConfig config, CancellationToken cancellationToken = default)
    {
        var folds = config.Options.Folds ?? throw new PalmLabException("folds: a cross-validation needs a number of folds (2 to 10).");
        (config with { Fold = new CrossValidationFold(folds, 0) }).EnsureValid();
        Data.FoldSplit.Assign(Data.DatasetReader.ReadTrainingFolder(config.TrainDir).Images, folds, config.Options.Seed, cancellationToken);
        return folds;
    }

    /// <summary>
    /// Trains fold <paramref name="fold"/> (1-based) of <paramref name="config"/> into <see cref="FoldFolder"/>, from the
    /// start or, with <paramref name="resumeFrom"/>, from that fold's checkpoint.
    /// </summary>
    public static TrainingResult RunFold(
        TrainingConfig config, string outputDir, int fold, TrainingHooks? hooks = null, string? resumeFrom = null, CancellationToken cancellationToken = default)
    {
        var folds = config.Options.Folds ?? throw new PalmLabException("folds: a cross-validation needs a number of folds (2 to 10).");
        return Trainer.Run(config with { Fold = new CrossValidationFold(folds, fold - 1) }, FoldFolder(outputDir, fold), hooks, resumeFrom, cancellationToken);
    }

    /// <summary>Per epoch, every metric's mean and standard deviation over the folds that reached that epoch.</summary>
    public static IReadOnlyList<CrossValidationEpoch> Summarise(IReadOnlyList<IReadOnlyList<EpochResult>> folds)
    {
        var epochs = folds.SelectMany(f => f).Select(e => e.Epoch).Distinct().Order();
        return epochs.Select(epoch =>
        {
            var rows = folds.SelectMany(f => f.Where(e => e.Epoch == epoch)).ToList();
            return new CrossValidationEpoch(epoch, Metrics.ToDictionary(m => m.Name, m => MeanStd.Of(rows.Select(m.Value))));
        }).ToList();
    }
}
