using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using static TorchSharp.torch;

namespace PalmLab.Engine.Data;

/// <summary>
/// Decoded image sets kept on disk, so a second run on the same images maps one file instead of decoding every JPEG.
/// A file is named after the image list (paths, labels, order) and the image size, and holds a stamp of every image's
/// length and last-write time: when any image changes, the stamp no longer matches and the file is rebuilt in place.
/// The folder is bounded (<see cref="MakeRoom"/>): a file's last-write time is when it was last used (a hit touches it),
/// and the least recently used files go first.
/// </summary>
/// <remarks>
/// A file is a header (padded to <see cref="Alignment"/> bytes) followed by the float32 values, [N, 3, S, S] in CHW order.
/// Hits map the file (copy-on-write) rather than read it: filling hundreds of megabytes of fresh memory costs far more
/// than the read itself, while mapped pages come straight from the page cache as they are used.
/// </remarks>
public static class ImageCache
{
    /// <summary>Bytes the header is padded to, so the values start aligned.</summary>
    public const int Alignment = 64;

    /// <summary>The default bound of a cache folder: 4 GiB, about 6,800 images at 224 px.</summary>
    public const long DefaultMaxBytes = 4L << 30;

    private const string Extension = ".bin";

    // Bump when decoding or the layout changes, so old files are never read as current.
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("PALMLAB-IMAGECACHE-4");
    private const int ChunkValues = 1 << 20;

    /// <summary>The cache file for <paramref name="items"/> decoded at <paramref name="imageSize"/> in <paramref name="cacheDir"/>.</summary>
    public static string PathFor(string cacheDir, IReadOnlyList<LabeledImage> items, int imageSize)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Magic);
        hash.AppendData(Encoding.UTF8.GetBytes($"\n{imageSize}\n"));
        foreach (var item in items)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{Path.GetFullPath(item.Path)}\t{item.Label}\n"));
        }
        return Path.Combine(cacheDir, Convert.ToHexStringLower(hash.GetHashAndReset())[..32] + Extension);
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
    /// The images [N, 3, S, S] held in <paramref name="file"/> when it holds exactly these items at this size with this stamp;
    /// null otherwise, including when the file is missing or damaged. The header is checked in the mapping itself, so a file
    /// replaced meanwhile is never mistaken for the one checked.
    /// </summary>
    public static Tensor? TryLoad(string file, IReadOnlyList<LabeledImage> items, int imageSize, byte[] stamp)
    {
        var expected = Header(items, imageSize, stamp);
        var headerLength = Padded(expected.Length);
        var values = (long)items.Count * 3 * imageSize * imageSize;
        // A file of any other length is stale or damaged; checking first also keeps the mapping within the file.
        if (new FileInfo(file) is not { Exists: true } info || info.Length != headerLength + values * sizeof(float))
        {
            return null;
        }
        Tensor mapped;
        try
        {
            mapped = from_file(file, shared: false, size: info.Length / sizeof(float), dtype: ScalarType.Float32);
        }
        catch (ExternalException)
        {
            return null;
        }
        using (mapped)
        {
            using var header = mapped.narrow(0, 0, headerLength / sizeof(float));
            if (!header.bytes[..expected.Length].SequenceEqual(expected))
            {
                return null;
            }
            using var data = mapped.narrow(0, headerLength / sizeof(float), values);
            Touch(file);
            return data.view(items.Count, 3, imageSize, imageSize);
        }
    }

    /// <summary>The bytes a cache file of <paramref name="items"/> at <paramref name="imageSize"/> takes.</summary>
    public static long SizeOf(IReadOnlyList<LabeledImage> items, int imageSize, byte[] stamp) =>
        Padded(Header(items, imageSize, stamp).Length) + (long)items.Count * 3 * imageSize * imageSize * sizeof(float);

    /// <summary>
    /// Removes the least recently used cache files of <paramref name="cacheDir"/> (oldest last-write time first) until
    /// <paramref name="needed"/> more bytes fit within <paramref name="maxBytes"/>; returns the files removed. A file that
    /// cannot be removed is passed over: the cache only saves time.
    /// </summary>
    public static IReadOnlyList<string> MakeRoom(string cacheDir, long maxBytes, long needed = 0)
    {
        var removed = new List<string>();
        if (!Directory.Exists(cacheDir))
        {
            return removed;
        }
        var files = new DirectoryInfo(cacheDir).EnumerateFiles("*" + Extension)
            .OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal).ToList();
        var total = files.Sum(f => f.Length) + needed;
        foreach (var file in files)
        {
            if (total <= maxBytes)
            {
                break;
            }
            // Read before the removal: a FileInfo forgets its length once the file is gone.
            var length = file.Length;
            try
            {
                // A run that has it mapped keeps reading it: on Unix the data stays until the mapping goes.
                file.Delete();
                total -= length;
                removed.Add(file.FullName);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // In use elsewhere (Windows) or not ours to remove: the next write tries again.
            }
        }
        return removed;
    }

    // A hit marks the file as just used, so it outlives the files not used since.
    private static void Touch(string file)
    {
        try
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only cache still serves hits; it is only trimmed less well.
        }
    }

    /// <summary>
    /// Writes the decoded <paramref name="values"/> atomically (a temporary file, then a rename), so readers never see half a file.
    /// Returns false when the folder cannot be written: the cache only saves time, so a failure costs nothing else.
    /// </summary>
    public static bool Write(string file, IReadOnlyList<LabeledImage> items, int imageSize, byte[] stamp, float[] values)
    {
        try
        {
            AtomicFile.Write(file, stream =>
            {
                var header = Header(items, imageSize, stamp);
                stream.Write(header);
                stream.Write(new byte[Padded(header.Length) - header.Length]);
                for (long start = 0; start < values.Length; start += ChunkValues)
                {
                    var chunk = values.AsSpan((int)start, (int)Math.Min(ChunkValues, values.Length - start));
                    stream.Write(MemoryMarshal.AsBytes(chunk));
                }
            });
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static byte[] Header(IReadOnlyList<LabeledImage> items, int imageSize, byte[] stamp)
    {
        using var buffer = new MemoryStream();
        using var writer = new BinaryWriter(buffer, Encoding.UTF8);
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
        return buffer.ToArray();
    }

    private static long Padded(long length) => (length + Alignment - 1) / Alignment * Alignment;
}
