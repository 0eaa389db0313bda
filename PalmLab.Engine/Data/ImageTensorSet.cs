using System.Collections.Concurrent;
using static TorchSharp.torch;

namespace PalmLab.Engine.Data;

/// <summary>
/// A labelled image set decoded once into CPU tensors ([N, 3, S, S] images in [-1, 1], [N] float labels),
/// so epochs only index memory and never decode an image again.
/// </summary>
public sealed class ImageTensorSet : IDisposable
{
    private ImageTensorSet(IReadOnlyList<LabeledImage> items, int imageSize, Tensor images, Tensor labels, bool fromCache)
    {
        Items = items;
        ImageSize = imageSize;
        Images = images;
        Labels = labels;
        FromCache = fromCache;
    }

    public IReadOnlyList<LabeledImage> Items { get; }

    public int ImageSize { get; }

    public Tensor Images { get; }

    public Tensor Labels { get; }

    public int Count => Items.Count;

    /// <summary>True when the images came from an <see cref="ImageCache"/> file (mapped, not decoded).</summary>
    public bool FromCache { get; }

    /// <summary>
    /// Decodes every image in parallel (one worker per core), reporting progress. All unreadable files are named in one error.
    /// With <paramref name="cacheDir"/>, first looks for these images already decoded there (<see cref="ImageCache"/>),
    /// and stores them there after decoding; a cache folder that cannot be used only costs the decoding. Before storing,
    /// the least recently used files are removed so the folder stays within <paramref name="cacheMaxBytes"/>; a set larger
    /// than that is not stored.
    /// </summary>
    public static ImageTensorSet Load(
        IReadOnlyList<LabeledImage> items, int imageSize, string part = "images",
        IProgress<DataLoadProgress>? progress = null, string? cacheDir = null, CancellationToken cancellationToken = default,
        long cacheMaxBytes = ImageCache.DefaultMaxBytes)
    {
        if (items.Count == 0)
        {
            throw new PalmLabException($"No {part} images to load.");
        }
        // The stamp is taken before decoding: a file changed meanwhile leaves a stale stamp, so the next run rebuilds.
        var stamp = cacheDir is null ? null : ImageCache.Stamp(items);
        var cacheFile = stamp is null ? null : ImageCache.PathFor(cacheDir!, items, imageSize);
        if (cacheFile is not null && ImageCache.TryLoad(cacheFile, items, imageSize, stamp!) is { } cached)
        {
            progress?.Report(new DataLoadProgress(part, items.Count, items.Count));
            return new ImageTensorSet(items, imageSize, cached, LabelTensor(items), fromCache: true);
        }
        if ((long)items.Count * 3 * imageSize * imageSize > Array.MaxLength)
        {
            throw new PalmLabException(
                $"{items.Count} {part} images at {imageSize}x{imageSize} do not fit in memory at once; choose a smaller image size (at most {(int)Math.Sqrt(Array.MaxLength / 3.0 / items.Count)}).");
        }
        var values = new float[(long)items.Count * 3 * imageSize * imageSize];
        Decode(items, imageSize, part, values, progress, cancellationToken);
        if (cacheFile is not null && ImageCache.SizeOf(items, imageSize, stamp!) is var size && size <= cacheMaxBytes)
        {
            ImageCache.MakeRoom(cacheDir!, cacheMaxBytes, size);
            ImageCache.Write(cacheFile, items, imageSize, stamp!, values);
        }
        return new ImageTensorSet(items, imageSize, tensor(values, [items.Count, 3, imageSize, imageSize]), LabelTensor(items), fromCache: false);
    }

    /// <summary>The rows of this set that hold <paramref name="items"/> (each one of <see cref="Items"/>), copied in that order.</summary>
    public ImageTensorSet Subset(IReadOnlyList<LabeledImage> items)
    {
        var rows = Items.Select((item, row) => (item, row)).ToDictionary(p => p.item, p => (long)p.row);
        using var index = tensor(items.Select(i => rows.TryGetValue(i, out var row) ? row
            : throw new ArgumentException($"{i.Path} is not in this set.", nameof(items))).ToArray());
        return new ImageTensorSet(items, ImageSize, Images.index_select(0, index), Labels.index_select(0, index), FromCache);
    }

    /// <summary>Images and labels at <paramref name="indices"/>, on <paramref name="device"/>, in the caller's dispose scope.</summary>
    public (Tensor Images, Tensor Labels) Batch(ReadOnlySpan<long> indices, Device device)
    {
        using var index = tensor(indices.ToArray());
        return (Images.index_select(0, index).to(device), Labels.index_select(0, index).to(device));
    }

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }

    private static void Decode(
        IReadOnlyList<LabeledImage> items, int imageSize, string part, float[] values,
        IProgress<DataLoadProgress>? progress, CancellationToken cancellationToken)
    {
        var perImage = 3 * imageSize * imageSize;
        var failures = new ConcurrentBag<(int Index, string Message)>();
        var done = 0;
        progress?.Report(new DataLoadProgress(part, 0, items.Count));
        Parallel.For(0, items.Count, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            try
            {
                ImageDecoder.DecodeInto(items[i].Path, imageSize, values.AsSpan(i * perImage, perImage));
            }
            catch (PalmLabException e)
            {
                failures.Add((i, e.Message));
            }
            var now = Interlocked.Increment(ref done);
            if (now % 25 == 0 || now == items.Count)
            {
                progress?.Report(new DataLoadProgress(part, now, items.Count));
            }
        });
        if (!failures.IsEmpty)
        {
            var messages = failures.OrderBy(f => f.Index).Select(f => f.Message).ToList();
            throw new PalmLabException($"{messages.Count} {part} image(s) cannot be used: {DatasetReader.NameList(messages, "; ")}");
        }
    }

    private static Tensor LabelTensor(IReadOnlyList<LabeledImage> items) => tensor(items.Select(i => (float)i.Label).ToArray());
}
