namespace PalmLab.Engine.Data;

/// <summary>Splits labelled images into training and held-out parts, stratified by label and seeded.</summary>
public static class HoldoutSplit
{
    /// <summary>Holds out <paramref name="fraction"/> of each class (rounded), chosen by a generator seeded with <paramref name="seed"/>.</summary>
    public static (IReadOnlyList<LabeledImage> Train, IReadOnlyList<LabeledImage> Holdout) Split(
        IReadOnlyList<LabeledImage> images, double fraction, int seed)
    {
        if (!(fraction > 0 && fraction < 1))
        {
            throw new PalmLabException($"Holdout fraction must be between 0 and 1 (exclusive), not {fraction}.");
        }
        var random = new Random(seed);
        var train = new List<LabeledImage>();
        var holdout = new List<LabeledImage>();
        foreach (var group in images.GroupBy(i => i.Label).OrderBy(g => g.Key))
        {
            var members = group.ToArray();
            random.Shuffle(members);
            var take = HeldOut(members.Length, fraction);
            holdout.AddRange(members.Take(take));
            train.AddRange(members.Skip(take));
        }
        if (holdout.Count == 0 || train.Count == 0)
        {
            throw new PalmLabException($"A holdout of {fraction} leaves {train.Count} training and {holdout.Count} held-out images out of {images.Count}; choose another fraction.");
        }
        // Keep file order within each part, so the split does not depend on class grouping.
        var order = images.Select((img, i) => (img, i)).ToDictionary(p => p.img, p => p.i);
        return (train.OrderBy(i => order[i]).ToList(), holdout.OrderBy(i => order[i]).ToList());
    }

    /// <summary>How many images a split keeps for training, from the size of each class.</summary>
    public static int TrainCount(IEnumerable<int> classSizes, double fraction) => classSizes.Sum(n => n - HeldOut(n, fraction));

    private static int HeldOut(int classSize, double fraction) => (int)Math.Round(classSize * fraction, MidpointRounding.AwayFromZero);
}
