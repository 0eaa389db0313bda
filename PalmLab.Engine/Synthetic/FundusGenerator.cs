using System.Diagnostics;
using System.Runtime.ExceptionServices;
using PalmLab.Engine.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace PalmLab.Engine.Synthetic;

/// <summary>
/// Writes a synthetic iChallenge-PM data set in the official layout: PALM-Training400/ (N*, H*, P* in the real 161:26:213
/// proportions), PALM-Validation400/ (V*) and PALM-Validation-GT/ with PM_Label_and_Fovea_Location.xlsx and labels.csv.
/// Each image is drawn from its own generator seeded by (seed, index), so the files do not depend on thread scheduling:
/// the same options give byte-identical files.
/// </summary>
public static class FundusGenerator
{

    /// <summary>Generates the data set under <paramref name="outputDir"/>, reporting each written image.</summary>
    /// <exception cref="PalmLabException">Bad options, or the folders already hold other images.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; images already written stay.</exception>
    public static SyntheticDataSet Generate(
        SyntheticDataOptions options, string outputDir, IProgress<GenerationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.EnsureValid();
        var clock = Stopwatch.StartNew();
        var trainDir = Path.Combine(outputDir, OfficialLayout.TrainingFolder);
        var validDir = Path.Combine(outputDir, OfficialLayout.ValidationFolder);
        var truthDir = Path.Combine(outputDir, OfficialLayout.GroundTruthFolder);

        var (normal, high, pathologic) = ClassCounts(options.TrainCount);
        var jobs = new List<(string Path, FundusClass Kind)>();
        foreach (var (prefix, count, kind) in new[] { ("N", normal, FundusClass.Normal), ("H", high, FundusClass.HighMyopia), ("P", pathologic, FundusClass.Pathologic) })
        {
            jobs.AddRange(Enumerable.Range(1, count).Select(i => (Path.Combine(trainDir, $"{prefix}{i:D4}.jpg"), kind)));
        }
        var (validNormal, validHigh, validPathologic) = ClassCounts(options.ValidationCount);
        var validKinds = Enumerable.Repeat(FundusClass.Normal, validNormal)
            .Concat(Enumerable.Repeat(FundusClass.HighMyopia, validHigh))
            .Concat(Enumerable.Repeat(FundusClass.Pathologic, validPathologic))
            .ToArray();
        new Random(MixSeed(options.Seed, -1)).Shuffle(validKinds);
        var firstValid = jobs.Count;
        jobs.AddRange(validKinds.Select((kind, i) => (Path.Combine(validDir, $"V{i + 1:D4}.jpg"), kind)));

        EnsureNoOtherImages(trainDir, jobs.Take(firstValid).Select(j => j.Path));
        EnsureNoOtherImages(validDir, jobs.Skip(firstValid).Select(j => j.Path));
        foreach (var dir in new[] { trainDir, validDir, truthDir })
        {
            Directory.CreateDirectory(dir);
        }

        var foveae = PaintAll(jobs, options, progress, cancellationToken);

        var rows = validKinds.Select((kind, i) => new LabelRow(
            i + 1, $"V{i + 1:D4}.jpg", kind == FundusClass.Pathologic ? 1 : 0,
            Math.Round(foveae[firstValid + i].X, 2), Math.Round(foveae[firstValid + i].Y, 2))).ToList();
        var xlsx = Path.Combine(truthDir, OfficialLayout.XlsxLabelsName);
        var csv = Path.Combine(truthDir, OfficialLayout.CsvLabelsName);
        LabelsXlsx.Write(xlsx, rows);
        LabelsCsv.Write(csv, rows);
        return new SyntheticDataSet(trainDir, validDir, xlsx, csv, normal, high, pathologic, validKinds.Length, validPathologic, clock.Elapsed.TotalSeconds);
    }

    // Paints and writes every image, side by side, each from its own seed; gives each image's fovea.
    private static (float X, float Y)[] PaintAll(
        List<(string Path, FundusClass Kind)> jobs, SyntheticDataOptions options, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken)
    {
        var foveae = new (float X, float Y)[jobs.Count];
        var encoder = new JpegEncoder { Quality = options.JpegQuality };
        var done = 0;
        try
        {
            Parallel.For(0, jobs.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
            {
                var scene = FundusScene.Create(jobs[i].Kind, options.Width, options.Height, new Random(MixSeed(options.Seed, i)));
                using (var image = FundusPainter.Paint(scene))
                {
                    Save(image, jobs[i].Path, encoder);
                }
                foveae[i] = (scene.FoveaX, scene.FoveaY);
                progress?.Report(new GenerationProgress(Interlocked.Increment(ref done), jobs.Count));
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        return foveae;
    }

    /// <summary>One synthetic photograph of the given class; the same arguments give the same pixels.</summary>
    public static Image<Rgb24> Render(FundusClass kind, int width, int height, int seed) =>
        FundusPainter.Paint(FundusScene.Create(kind, width, height, new Random(seed)));

    /// <summary>
    /// <see cref="Render"/> with the truth of every pixel: surround, fundus or lesion (the atrophy and pigment it drew), so
    /// tests can check where a model looks.
    /// </summary>
    public static RenderedFundus RenderWithMask(FundusClass kind, int width, int height, int seed)
    {
        var regions = new FundusRegion[width * height];
        var image = FundusPainter.Paint(FundusScene.Create(kind, width, height, new Random(seed)), regions);
        return new RenderedFundus(image, regions);
    }

    /// <summary>Normal, high-myopia and pathologic counts for <paramref name="total"/> images, in the real 161:26:213 proportions.</summary>
    public static (int Normal, int HighMyopia, int Pathologic) ClassCounts(int total)
    {
        var normal = (int)Math.Round(total * 161 / 400.0, MidpointRounding.AwayFromZero);
        var high = (int)Math.Round(total * 26 / 400.0, MidpointRounding.AwayFromZero);
        return (normal, high, total - normal - high);
    }

    // SplitMix64 of (seed, index): neighbouring seeds and indices give unrelated generators.
    private static int MixSeed(int seed, int index)
    {
        var z = unchecked(((ulong)(uint)seed << 32 | (uint)index) + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (int)((z ^ (z >> 31)) >> 33);
    }

    private static void Save(Image<Rgb24> image, string path, JpegEncoder encoder)
    {
        try
        {
            image.SaveAsJpeg(path, encoder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PalmLabException($"{path}: cannot be written ({e.Message}).", e);
        }
    }

    // Stale images from an earlier, larger run would silently join the new data set.
    private static void EnsureNoOtherImages(string folder, IEnumerable<string> planned)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }
        var ours = planned.Select(Path.GetFileName).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var others = Directory.EnumerateFiles(folder)
            .Where(f => ImageDecoder.Extensions.Contains(Path.GetExtension(f)) && !ours.Contains(Path.GetFileName(f)))
            .Select(f => Path.GetFileName(f))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (others.Count > 0)
        {
            throw new PalmLabException(
                $"{folder} already holds {others.Count} image(s) this data set would not write ({DatasetReader.NameList(others)}): generate into a new or empty folder.");
        }
    }
}
