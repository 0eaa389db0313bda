using PalmLab.Engine;
using PalmLab.Engine.Synthetic;
using PalmLab.Web.Options;

namespace PalmLab.Web.DataSets;

/// <summary>The built-in demo: on a first start with no data set, a synthetic iChallenge-PM set is generated, so a new user can queue a run at once.</summary>
public static class DemoDataSet
{
    public const string Name = "demo";

    /// <summary>
    /// Generates the demo into a hidden folder and renames it into place when complete, so a start killed half-way leaves
    /// no half data set behind (and the next start tries again). Leftovers of such starts and of killed imports, uploads and generations are removed once they are an hour old.
    /// </summary>
    public static async Task EnsureAsync(PalmLabOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(options.DataSetsDir);
        // An hour-old work folder belongs to no live generation or import (a `palmlab import` may be writing a fresh one).
        var stale = DateTime.UtcNow.AddHours(-1);
        foreach (var leftover in new[] { ".demo-*", ".importing-*", DataSetImports.UploadPrefix + "*", DataSetImports.GeneratePrefix + "*" }
                     .SelectMany(pattern => Directory.EnumerateDirectories(root, pattern))
                     .Where(d => Directory.GetLastWriteTimeUtc(d) < stale))
        {
            Directory.Delete(leftover, recursive: true);
        }
        if (!options.DemoData || Directory.EnumerateDirectories(root).Any(d => !Path.GetFileName(d).StartsWith('.')))
        {
            return;
        }
        var generation = new SyntheticDataOptions { Width = options.DemoImageSize, Height = options.DemoImageSize };
        var total = generation.TrainCount + generation.ValidationCount;
        logger.LogInformation("No data set yet: generating the synthetic demo data set '{Name}' ({Total} images at {Size} px) in {Folder}",
            Name, total, options.DemoImageSize, root);
        var temporary = Path.Combine(root, $".demo-{Guid.NewGuid():N}");
        try
        {
            var progress = new InlineProgress<GenerationProgress>(p =>
            {
                if (p.Done % Math.Max(1, total / 4) == 0)
                {
                    logger.LogInformation("Demo data set: {Done}/{Total} images", p.Done, p.Total);
                }
            });
            var set = await Task.Run(() => FundusGenerator.Generate(generation, temporary, progress, cancellationToken), cancellationToken);
            Directory.Move(temporary, Path.Combine(root, Name));
            logger.LogInformation("Demo data set ready in {Seconds:F1} s", set.Seconds);
        }
        finally
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
        }
    }
}
