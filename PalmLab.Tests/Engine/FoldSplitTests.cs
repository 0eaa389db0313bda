using PalmLab.Engine;
using PalmLab.Engine.Data;
using PalmLab.Engine.Metrics;
using PalmLab.Engine.Training;
using PalmLab.Tests.Support;

namespace PalmLab.Tests.Engine;

public sealed class FoldSplitTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private IReadOnlyList<LabeledImage> Folder(int normal, int high, int pathologic, int seed = 1) =>
        DatasetReader.ReadTrainingFolder(TestImages.WriteTrainingFolder(_temp.Sub($"train-{Guid.NewGuid():N}"), normal, high, pathologic, size: 32, seed: seed)).Images;

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void Assign_ImagesOfEachClass_SpreadWithinOnePerFoldAndEveryImageValidatedOnce(int k)
    {
        var images = Folder(normal: 7, high: 4, pathologic: 13);

        var assignment = FoldSplit.Assign(images, k, seed: 4);

        foreach (var label in new[] { 0, 1 })
        {
            var perFold = Enumerable.Range(0, k).Select(f => images.Where((img, i) => img.Label == label && assignment[i] == f).Count()).ToList();
            Assert.True(perFold.Max() - perFold.Min() <= 1, $"label {label}: {string.Join(",", perFold)} images per fold");
        }
        var validated = new List<LabeledImage>();
        for (var fold = 0; fold < k; fold++)
        {
            var (train, validation) = FoldSplit.Split(images, k, fold, seed: 4);
            Assert.Empty(train.Intersect(validation));
            Assert.Equal(images.Count, train.Count + validation.Count);
            validated.AddRange(validation);
        }
        Assert.Equal(images.OrderBy(i => i.Path), validated.OrderBy(i => i.Path));
    }

    [Fact]
    public void Assign_SameSeed_SameFoldsAndAnotherSeed_OtherFolds()
    {
        var images = Folder(normal: 10, high: 0, pathologic: 10);

        var first = FoldSplit.Assign(images, 4, seed: 1);

        Assert.Equal(first, FoldSplit.Assign(images, 4, seed: 1));
        Assert.NotEqual(first, FoldSplit.Assign(images, 4, seed: 2));
    }

    [Fact]
    public void Assign_ByteIdenticalFiles_AlwaysInTheSameFold()
    {
        var folder = _temp.Sub("twins");
        TestImages.WriteTrainingFolder(folder, normal: 6, high: 0, pathologic: 6, size: 32);
        File.Copy(Path.Combine(folder, "N0001.jpg"), Path.Combine(folder, "N0009.jpg"));
        File.Copy(Path.Combine(folder, "N0001.jpg"), Path.Combine(folder, "H0001.jpg"));
        File.Copy(Path.Combine(folder, "P0002.jpg"), Path.Combine(folder, "P0009.jpg"));
        var images = DatasetReader.ReadTrainingFolder(folder).Images;
        int FoldOf(int[] assignment, string name) => assignment[images.Select((img, i) => (img, i)).Single(p => Path.GetFileName(p.img.Path) == name).i];

        for (var seed = 0; seed < 20; seed++)
        {
            var assignment = FoldSplit.Assign(images, 3, seed);
            Assert.Equal(FoldOf(assignment, "N0001.jpg"), FoldOf(assignment, "N0009.jpg"));
            Assert.Equal(FoldOf(assignment, "N0001.jpg"), FoldOf(assignment, "H0001.jpg"));
            Assert.Equal(FoldOf(assignment, "P0002.jpg"), FoldOf(assignment, "P0009.jpg"));
        }
    }

    [Theory]
    [InlineData(1, "--folds: must be from 2 to 10, not 1")]
    [InlineData(11, "--folds: must be from 2 to 10, not 11")]
    [InlineData(4, "--folds: 4 folds is more than the 3 distinct images of the smallest class (label 0); choose at most 3.")]
    public void Assign_BadFoldCount_RefusedNamingFolds(int k, string expected)
    {
        var folder = _temp.Sub("small");
        TestImages.WriteTrainingFolder(folder, normal: 3, high: 0, pathologic: 6, size: 32);
        // A twin does not count as another image of its class.
        File.Copy(Path.Combine(folder, "N0001.jpg"), Path.Combine(folder, "N0004.jpg"));
        var images = DatasetReader.ReadTrainingFolder(folder).Images;

        var error = Assert.Throws<PalmLabException>(() => FoldSplit.Assign(images, k, seed: 0));

        Assert.StartsWith(expected, error.Message);
    }

    [Fact]
    public void MeanStd_HandComputedValues()
    {
        // Mean 0.9; deviations -0.1, 0.1, 0 ⇒ sample variance 0.02 / 2 = 0.01, std 0.1.
        var three = MeanStd.Of([0.8, 1.0, 0.9])!;
        Assert.Equal(0.9, three.Mean, 12);
        Assert.Equal(0.1, three.Std!.Value, 12);
        Assert.Equal(3, three.Count);
        // Missing values (AUC of a one-class fold) are left out: mean 0.6, std sqrt(0.02 / 1).
        var gaps = MeanStd.Of([0.5, null, 0.7])!;
        Assert.Equal(0.6, gaps.Mean, 12);
        Assert.Equal(Math.Sqrt(0.02), gaps.Std!.Value, 12);
        Assert.Null(MeanStd.Of([0.4])!.Std);
        Assert.Null(MeanStd.Of([null, null]));
    }

    [Fact]
    public void Summarise_PerEpochOverFolds()
    {
        static EpochResult Epoch(int epoch, double loss, double accuracy, double? auc) => new(epoch, 2, loss, loss + 1,
            new BinaryMetrics(10, 0.5, accuracy, auc, 1, 0.5, 0.5, 0.6, new ConfusionMatrix(1, 1, 1, 1), []), 0.01, 1, 1, false);
        IReadOnlyList<IReadOnlyList<EpochResult>> folds =
        [
            [Epoch(1, 0.7, 0.5, 0.6), Epoch(2, 0.4, 0.75, 0.9)],
            [Epoch(1, 0.5, 0.7, null), Epoch(2, 0.2, 0.85, 0.8)],
        ];

        var epochs = CrossValidation.Summarise(folds);

        Assert.Equal([1, 2], epochs.Select(e => e.Epoch));
        Assert.Equal(0.6, epochs[0].Metrics["accuracy"]!.Mean, 12);
        Assert.Equal(Math.Sqrt(0.02), epochs[0].Metrics["accuracy"]!.Std!.Value, 12);
        Assert.Equal(0.6, epochs[0].Metrics["auc"]!.Mean, 12);
        Assert.Equal(1, epochs[0].Metrics["auc"]!.Count);
        Assert.Equal(0.8, epochs[1].Metrics["accuracy"]!.Mean, 12);
        Assert.Equal(Math.Sqrt(0.005), epochs[1].Metrics["accuracy"]!.Std!.Value, 12);
        Assert.Equal(0.85, epochs[1].Metrics["auc"]!.Mean, 12);
        Assert.Equal(1.3, epochs[1].Metrics["val_loss"]!.Mean, 12);
        Assert.Equal(0.0, epochs[1].Metrics["f1"]!.Std!.Value, 12);
    }
}
