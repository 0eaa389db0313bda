using PalmLab.Engine.Training;

namespace PalmLab.Engine.Inference;

/// <summary>
/// The checkpoints one prediction averages, and how to describe them: a single checkpoint, several checkpoint files, or
/// the fold models of a cross-validation (a folder with fold-1/, fold-2/, ... as <c>palmlab train --folds K</c> and the
/// dashboard's cross-validated runs write them).
/// </summary>
public sealed record CheckpointSet(IReadOnlyList<string> Paths, string Description)
{
    /// <summary>The fold models' checkpoint of <paramref name="kind"/> ("best" or "last") in a cross-validation folder.</summary>
    /// <exception cref="PalmLabException">The folder holds no fold-N/ folder, or a fold lacks that checkpoint.</exception>
    public static CheckpointSet FromCrossValidation(string folder, string kind = "best")
    {
        var folds = FoldNumbers(folder);
        if (folds.Count == 0)
        {
            throw new PalmLabException($"{folder} holds no fold-1/, fold-2/, ...: it is not the output of a cross-validation (palmlab train --folds K --out FOLDER).");
        }
        var expected = Enumerable.Range(1, folds.Max());
        if (expected.Except(folds).FirstOrDefault() is var gap and > 0)
        {
            throw new PalmLabException($"{folder} has no fold-{gap}/ although it has fold-{folds.Max()}/: the cross-validation is incomplete.");
        }
        var paths = expected.Select(k => Path.Combine(CrossValidation.FoldFolder(folder, k), $"{kind}.ckpt")).ToList();
        if (paths.FirstOrDefault(p => !File.Exists(p)) is { } missing)
        {
            throw new PalmLabException($"{missing} does not exist: every fold of the cross-validation in {folder} needs its {kind} checkpoint (is a fold still training?).");
        }
        return new CheckpointSet(paths, $"ensemble of {paths.Count} fold models ({kind})");
    }

    /// <summary>
    /// What <c>--checkpoint</c> names, once or more: each checkpoint file as it is, each folder as its cross-validation's
    /// best fold models.
    /// </summary>
    public static CheckpointSet Resolve(IReadOnlyList<string> inputs)
    {
        if (inputs.Count == 0)
        {
            throw new PalmLabException("Give a checkpoint (a .ckpt file or a cross-validation folder).");
        }
        if (inputs.Count == 1 && Directory.Exists(inputs[0]))
        {
            return FromCrossValidation(inputs[0]);
        }
        var paths = inputs.SelectMany(i => Directory.Exists(i) ? FromCrossValidation(i).Paths : [i]).ToList();
        return new CheckpointSet(paths, paths.Count == 1 ? "single model" : $"ensemble of {paths.Count} models");
    }

    /// <summary>"ensemble of 5 fold models (best), tta flip".</summary>
    public string Describe(TestTimeAugmentation tta) => $"{Description}, tta {TestTimeAugmentations.NameOf(tta)}";

    private static List<int> FoldNumbers(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateDirectories(folder, CrossValidation.FoldFolderPattern)
                .Select(d => CrossValidation.FoldOf(Path.GetFileName(d)))
                .OfType<int>()
                .ToList()
            : [];
}
