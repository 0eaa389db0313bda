using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace PalmLab.Engine.Data;

/// <summary>
/// Decoded image sets kept on disk, so a second run on the same images reads one file instead of decoding every JPEG.
/// A file is named after the image list (paths, labels, order) and the image size, and holds a stamp of every image's
/// length and last-write time: when any image changes, the stamp no longer matches and the file is rebuilt in place.
/// </summary>
public static class ImageCache
{
    // Bump when decoding changes (resampler, scaling), so old files are never read as current.
    private const string Format = "PALMLAB-IMAGECACHE-2";
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes(Format);
    private const int ChunkValues = 1 << 20;

    /// <summary>The cache file for <paramref name="items"/> decoded at <paramref name="imageSize"/> in <paramref name="cacheDir"/>.</summary>
    public static string PathFor(string cacheDir, IReadOnlyList<LabeledImage> items, int imageSize)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{Format}\n{imageSize}\n"));
        foreach (var item in items)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{Path.GetFullPath(item.Path)}\t{item.Label}\n"));
        }
        return Path.Combine(cacheDir, Convert.ToHexStringLower(hash.GetHashAndReset())[..32] + ".bin");
    }

    /// <summary>
    /// A cheap fingerprint of the files as they are now (length and last-write time of each, no content read);
    /// null when a file cannot be examined, which makes every lookup a miss.
    /// </summary>
    public static byte[]? Stamp(IReadOnlyList<LabeledImage> items)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var item in items)
        {
            var info = new FileInfo(item.Path);
            if (!info.Exists)
            {
                return null;
            }
            hash.AppendData(Encoding.UTF8.GetBytes($"{info.Length}\t{info.LastWriteTimeUtc.Ticks}\n"));
        }
        return hash.GetHashAndReset();
    }

    /// <summary>
    /// Fills <paramref name="values"/> from <paramref name="file"/> when it holds exactly these items at this size with this
    /// stamp; false (and <paramref name="values"/> undefined) otherwise, including when the file is missing or damaged.
    /// </summary>
    public static bool TryRead(string file, IReadOnlyList<LabeledImage> items, int imageSize, byte[] stamp, float[] values)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic)
                || reader.ReadInt32() != imageSize
                || reader.ReadInt32() != items.Count
                || !reader.ReadBytes(stamp.Length).AsSpan().SequenceEqual(stamp))
            {
                return false;
            }
            foreach (var item in items)
            {
                if (reader.ReadString() != Path.GetFullPath(item.Path) || reader.ReadInt32() != item.Label)
                {
                    return false;
                }
            }
            if (stream.Length - stream.Position != (long)values.Length * sizeof(float))
            {
                return false;
            }
            for (long start = 0; start < values.Length; start += ChunkValues)
            {
                var chunk = values.AsSpan((int)start, (int)Math.Min(ChunkValues, values.Length - start));
                stream.ReadExactly(MemoryMarshal.AsBytes(chunk));
            }
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Writes the decoded <paramref name="values"/> atomically (a temporary file, then a rename), so readers never see half a file.
    /// Returns false when the folder cannot be written: the cache only saves time, so a failure costs nothing else.
    /// </summary>
    public static bool Write(string file, IReadOnlyList<LabeledImage> items, int imageSize, byte[] stamp, float[] values)
    {
        var temp = $"{file}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            using (var writer = new BinaryWriter(stream, Encoding.UTF8))
            {
                writer.Write(Magic);
                writer.Write(imageSize);
                writer.Write(items.Count);
                writer.Write(stamp);
                foreach (var item in items)
                {
                    writer.Write(Path.GetFullPath(item.Path));
                    writer.Write(item.Label);
                }
                writer.Flush();
                for (long start = 0; start < values.Length; start += ChunkValues)
                {
                    var chunk = values.AsSpan((int)start, (int)Math.Min(ChunkValues, values.Length - start));
                    stream.Write(MemoryMarshal.AsBytes(chunk));
                }
            }
            File.Move(temp, file, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // Nothing more to do: the folder itself is unusable.
            }
            return false;
        }
    }
}
