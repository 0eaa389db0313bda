using System.Text;
using PalmLab.Engine;
using PalmLab.Engine.Inference;

namespace PalmLab.Cli;

/// <summary>Writes the Grad-CAM overlay of each image as OUT_DIR/&lt;safe name&gt;.png, for <c>palmlab predict --cam</c>.</summary>
internal static class CamWriter
{
    /// <summary>
    /// Writes one overlay per image and returns (image, overlay file, the class its map explains: "pathologic myopia" or
    /// "not pathologic", the image's predicted label) in the order of the images.
    /// </summary>
    public static IReadOnlyList<(string Image, string Overlay, string Explains)> Write(
        Predictor predictor, IEnumerable<string> images, string outputDir, TestTimeAugmentation tta, CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(outputDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PalmLabException($"Cannot write Grad-CAM images to {outputDir}: {e.Message}", e);
        }
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var written = new List<(string, string, string)>();
        foreach (var image in images)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var bytes = File.ReadAllBytes(image);
            var explanation = predictor.Explain(bytes, image, tta);
            var overlay = Path.Combine(outputDir, UniqueName(SafeName(image), taken) + ".png");
            try
            {
                File.WriteAllBytes(overlay, CamImage.OverlayPng(bytes, image, explanation.HeatMap, explanation.Size));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new PalmLabException($"Cannot write {overlay}: {e.Message}", e);
            }
            written.Add((image, overlay, explanation.ExplainedClass));
        }
        return written;
    }

    // The image's name without its extension, kept to letters, digits, '.', '-' and '_', so no input can name a path elsewhere.
    private static string SafeName(string image)
    {
        var name = new StringBuilder();
        foreach (var c in Path.GetFileNameWithoutExtension(image))
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }
        var safe = name.ToString().TrimStart('.');
        return safe.Length == 0 ? "image" : safe[..Math.Min(safe.Length, 100)];
    }

    // Two inputs called V0001.jpg in different folders (or V0001.jpg and V0001.png) must not overwrite each other.
    private static string UniqueName(string name, HashSet<string> taken)
    {
        var unique = name;
        for (var i = 2; !taken.Add(unique); i++)
        {
            unique = $"{name}-{i}";
        }
        return unique;
    }
}
