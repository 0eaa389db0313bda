using System.Security.Cryptography;
using System.Text;

namespace PalmLab.Engine.Data;

/// <summary>
/// A short hash of which images a run trains and validates on: each file's name, size and label. A run resumed on
/// other files would silently mix two data sets, so a checkpoint remembers this and a resume compares it.
/// </summary>
public static class DataFingerprint
{
    /// <exception cref="PalmLabException">An image went away or cannot be read since the folder was listed.</exception>
    public static string Of(IReadOnlyList<LabeledImage> train, IReadOnlyList<LabeledImage>? validation)
    {
        var text = new StringBuilder();
        foreach (var (part, images) in new[] { ("train", train), ("validation", validation ?? []) })
        {
            foreach (var image in images.OrderBy(i => Path.GetFileName(i.Path), StringComparer.Ordinal))
            {
                text.Append(part).Append('\t').Append(Path.GetFileName(image.Path)).Append('\t')
                    .Append(Length(image.Path)).Append('\t').Append(image.Label).Append('\n');
            }
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    private static long Length(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PalmLabException($"{path} cannot be read: {e.Message}", e);
        }
    }
}
