using System.Collections.Concurrent;
using static TorchSharp.torch;

namespace PalmLab.Engine.Data;

/// <summary>
/// A labelled image set decoded once into CPU tensors ([N, 3, S, S] images in [-1, 1], [N] float labels),
/// so epochs only index memory and never decode an image again.
/// </summary>
public sealed class ImageTensorSet : IDisposable
{
    private ImageTensorSet(IReadOnlyList<LabeledImage> items, int imageSize, Tensor images, Tensor labels)
    {
        Items = items;
        ImageSize = imageSize;
        Images = images;
        Labels = labels;
    }

    public IReadOnlyList<LabeledImage> Items { get; }

    public int ImageSize { get; }

    public Tensor Images { get; }

    public Tensor Labels { get; }

    public int Count => Items.Count;

    /// <summary>
    /// Decodes every image in parallel (one worker per core), reporting progress. All unreadable files are named in one error.
    /// </summary>
    public static ImageTensorSet Load(
        IReadOnlyList<LabeledImage> items, int imageSize, string part = "images",
        IProgress<DataLoadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (items.Count == 0)
        {
            throw new PalmLabException($"No {part} images to load.");
        }
        var perImage = 3 * imageSize * imageSize;
        var values = new float[(long)items.Count * perImage];
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
        var images = tensor(values, [items.Count, 3, imageSize, imageSize]);
        var labels = tensor(items.Select(i => (float)i.Label).ToArray());
        return new ImageTensorSet(items, imageSize, images, labels);
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
}
