using System.Security.Cryptography;

namespace PalmLab.Engine.Data;

/// <summary>
/// Assigns labelled images to k cross-validation folds: stratified by label, seeded, and with byte-identical files
/// (same SHA-256) always in one fold, so no image is validated against its own twin in training.
/// </summary>
public static class FoldSplit
{
    public const int MinFolds = 2;
    public const int MaxFolds = 10;

    /// <summary>The fold (0-based) of every image, in the order given.</summary>
    /// <exception cref="PalmLabException">k out of range or larger than the smallest class (counting twins once).</exception>
    public static int[] Assign(IReadOnlyList<LabeledImage> images, int folds, int seed, CancellationToken cancellationToken = default)
    {
        if (folds is < MinFolds or > MaxFolds)
        {
            throw new PalmLabException($"--folds: must be from {MinFolds} to {MaxFolds}, not {folds}.");
        }
        var hashes = images.Select(i =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Hash(i.Path);
        }).ToArray();
        // Twins with different labels cannot be stratified apart; they go with the label of their first file.
        var groups = images.Select((image, index) => (image, index))
            .GroupBy(p => hashes[p.index])
            .Select(g => (Label: g.First().image.Label, Members: g.Select(p => p.index).ToArray()))
            .ToList();
        var smallest = groups.GroupBy(g => g.Label).Select(c => (c.Key, Count: c.Count())).OrderBy(c => c.Count).ToList();
        if (smallest.Count == 0 || smallest[0].Count < folds)
        {
            var (label, count) = smallest.Count == 0 ? (0, 0) : smallest[0];
            throw new PalmLabException($"--folds: {folds} folds is more than the {count} distinct images of the smallest class (label {label}); choose at most {count}.");
        }

        var random = new Random(seed);
        var assignment = new int[images.Count];
        var offset = 0;
        foreach (var cls in groups.GroupBy(g => g.Label).OrderBy(c => c.Key))
        {
            // Order groups by their first file index, so the shuffle depends only on the seed and the data.
            var members = cls.OrderBy(g => g.Members[0]).ToArray();
            random.Shuffle(members);
            for (var i = 0; i < members.Length; i++)
            {
                // Each class starts where the last one ended, so fold sizes stay balanced overall as well.
                var fold = (offset + i) % folds;
                foreach (var index in members[i].Members)
                {
                    assignment[index] = fold;
                }
            }
            offset = (offset + members.Length) % folds;
        }
        return assignment;
    }

    /// <summary>Training and validation images of fold <paramref name="fold"/> (0-based), each in file order.</summary>
    public static (IReadOnlyList<LabeledImage> Train, IReadOnlyList<LabeledImage> Validation) Split(
        IReadOnlyList<LabeledImage> images, int folds, int fold, int seed, CancellationToken cancellationToken = default)
    {
        var assignment = Assign(images, folds, seed, cancellationToken);
        return (images.Where((_, i) => assignment[i] != fold).ToList(), images.Where((_, i) => assignment[i] == fold).ToList());
    }

    private static string Hash(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return Convert.ToHexString(SHA256.HashData(stream));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PalmLabException($"Cannot read {path}: {e.Message}", e);
        }
    }
}
