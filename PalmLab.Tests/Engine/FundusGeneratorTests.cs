using System.Security.Cryptography;
using PalmLab.Engine;
using PalmLab.Engine.Data;
using PalmLab.Engine.Synthetic;
using PalmLab.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace PalmLab.Tests.Engine;

public class FundusGeneratorTests
{
    private static readonly SyntheticDataOptions Small = new() { TrainCount = 24, ValidationCount = 12, Width = 96, Height = 96, Seed = 5 };

    [Fact]
    public void Generate_SameSeedTwice_WritesByteIdenticalFiles()
    {
        using var temp = new TempDir();

        FundusGenerator.Generate(Small, temp.Sub("a"));
        FundusGenerator.Generate(Small, temp.Sub("b"));

        var first = Hashes(temp.Sub("a"));
        Assert.Equal(24 + 12 + 2, first.Count);
        Assert.Equal(first, Hashes(temp.Sub("b")));
    }

    [Fact]
    public void Generate_OtherSeed_WritesDifferentImages()
    {
        using var temp = new TempDir();

        FundusGenerator.Generate(Small, temp.Sub("a"));
        FundusGenerator.Generate(Small with { Seed = 6 }, temp.Sub("b"));

        var (first, second) = (Hashes(temp.Sub("a")), Hashes(temp.Sub("b")));
        Assert.All(first.Keys.Where(k => k.EndsWith(".jpg")), name => Assert.NotEqual(first[name], second[name]));
    }

    [Fact]
    public void Generate_DefaultCounts_WritesTheOfficialNamesAndLabelsThatAgree()
    {
        using var temp = new TempDir();
        var options = new SyntheticDataOptions { Width = 64, Height = 64 };
        var reports = new List<GenerationProgress>();

        var set = FundusGenerator.Generate(options, temp.Path, new InlineProgress<GenerationProgress>(reports.Add));

        string[] Names(string prefix, int count) => [.. Enumerable.Range(1, count).Select(i => $"{prefix}{i:D4}.jpg")];
        Assert.Equal([.. Names("H", 26), .. Names("N", 161), .. Names("P", 213)], FileNames(set.TrainDir));
        Assert.Equal(Names("V", 400), FileNames(set.ValidDir));
        Assert.Equal((161, 26, 213), (set.Normal, set.HighMyopia, set.Pathologic));
        Assert.Equal(800, reports.Count);
        Assert.Equal(800, reports.Max(r => r.Done));

        var fromCsv = DatasetReader.ReadLabels(set.LabelsCsvPath);
        Assert.Equal(fromCsv, DatasetReader.ReadLabels(set.LabelsXlsxPath));
        Assert.Equal(213, fromCsv.Values.Sum());
        var csvCells = File.ReadAllLines(set.LabelsCsvPath).Select(l => l.Split(',')).ToList();
        var sheet = LabelsXlsx.Read(set.LabelsXlsxPath);
        Assert.Equal(csvCells[0], sheet.Header);
        Assert.Equal(csvCells.Skip(1), sheet.Rows.Select(r => r.Cells.ToArray()));
        Assert.All(csvCells.Skip(1), row =>
        {
            Assert.InRange(double.Parse(row[3], System.Globalization.CultureInfo.InvariantCulture), 0, 64);
            Assert.InRange(double.Parse(row[4], System.Globalization.CultureInfo.InvariantCulture), 0, 64);
        });
        Assert.Equal(400, DatasetReader.ReadValidationFolder(set.ValidDir).Images.Count);
    }

    [Theory]
    [InlineData(400, 161, 26, 213)]
    [InlineData(100, 40, 7, 53)]
    [InlineData(20, 8, 1, 11)]
    [InlineData(1, 0, 0, 1)]
    public void ClassCounts_AnyTotal_KeepsTheRealProportions(int total, int normal, int high, int pathologic)
    {
        Assert.Equal((normal, high, pathologic), FundusGenerator.ClassCounts(total));
    }

    [Fact]
    public void Generate_FolderHoldsOtherImages_RefusesAndNamesThem()
    {
        using var temp = new TempDir();
        FundusGenerator.Generate(Small, temp.Path);

        var error = Assert.Throws<PalmLabException>(() => FundusGenerator.Generate(Small with { TrainCount = 10 }, temp.Path));

        Assert.Contains(Path.Combine(temp.Path, OfficialLayout.TrainingFolder), error.Message);
        Assert.Contains("N0005.jpg", error.Message);
    }

    [Fact]
    public void Generate_InvalidOptions_ListsEveryProblem()
    {
        using var temp = new TempDir();

        var error = Assert.Throws<PalmLabException>(() => FundusGenerator.Generate(
            new SyntheticDataOptions { TrainCount = 0, Width = 10, JpegQuality = 101 }, temp.Path));

        Assert.Contains("train-count: must be between 1 and 9999, not 0", error.Message);
        Assert.Contains("width: must be between 64 and 4096 pixels, not 10", error.Message);
        Assert.Contains("jpeg-quality", error.Message);
    }

    [Fact]
    public void Generate_Cancelled_ThrowsOperationCanceled()
    {
        using var temp = new TempDir();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => FundusGenerator.Generate(Small, temp.Path, cancellationToken: cancel.Token));
    }

    [Fact]
    public void Render_OneOfEachClass_LooksLikeAFundusAndIsSavedAsASample()
    {
        var samples = Path.Combine(AppContext.BaseDirectory, "samples");
        Directory.CreateDirectory(samples);
        foreach (var (kind, letter) in new[] { (FundusClass.Normal, "N"), (FundusClass.HighMyopia, "H"), (FundusClass.Pathologic, "P") })
        {
            using var image = FundusGenerator.Render(kind, 512, 512, seed: 25);
            image.SaveAsPng(Path.Combine(samples, $"sample-{letter}.png"));

            // Black surround, a reddish field of view.
            foreach (var (x, y) in new[] { (0, 0), (511, 0), (0, 511), (511, 511) })
            {
                Assert.True(image[x, y].R < 12 && image[x, y].G < 12 && image[x, y].B < 12, $"{kind}: corner ({x}, {y}) is {image[x, y]}");
            }
            var centre = Average(image, 206, 306);
            Assert.True(centre.R > centre.G && centre.G > centre.B && centre.R > 60, $"{kind}: centre averages {centre}");
        }
        Assert.True(File.Exists(Path.Combine(samples, "sample-P.png")));
    }

    [Theory]
    [InlineData(2124, 2056)]
    [InlineData(96, 64)]
    public void Render_NonSquareSize_FillsTheFrameWithTheFieldOfView(int width, int height)
    {
        using var image = FundusGenerator.Render(FundusClass.Pathologic, width, height, seed: 8);

        Assert.Equal((width, height), (image.Width, image.Height));
        var centre = image[width / 2, height / 2];
        Assert.True(centre.R > 40, $"centre pixel {centre}");
        Assert.True(image[0, 0].R < 12, $"corner pixel {image[0, 0]}");
    }

    private static (double R, double G, double B) Average(Image<Rgb24> image, int from, int to)
    {
        double r = 0, g = 0, b = 0;
        for (var y = from; y < to; y++)
        {
            for (var x = from; x < to; x++)
            {
                (r, g, b) = (r + image[x, y].R, g + image[x, y].G, b + image[x, y].B);
            }
        }
        var n = (double)(to - from) * (to - from);
        return (r / n, g / n, b / n);
    }

    private static string[] FileNames(string folder) => [.. Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    private static Dictionary<string, string> Hashes(string root) => Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
        .ToDictionary(f => Path.GetRelativePath(root, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    // Progress<T> posts to a synchronisation context; this one records each report as it is made.
}
