using Onnx;
using PalmLab.Engine.Models;

namespace PalmLab.Engine.Onnx;

/// <summary>
/// What ML.NET's <c>ResNetPreprocess.onnx</c> does to an image before the ImageNet ResNet-18: it takes RGB pixels in 0-255
/// (as ML.NET extracts them), splits the channels, concatenates them as BGR and subtracts a mean image
/// (<see cref="MeanImage"/>, 3 x 224 x 224).
/// </summary>
public sealed record PreprocessGraph(int[] ChannelOrder, long[] MeanShape, float[] MeanImage)
{
    /// <summary>Reads the graph at <paramref name="path"/>: Split (axis 1), Concat (axis 1) of the parts, Sub of a constant.</summary>
    public static PreprocessGraph Read(string path)
    {
        var name = Path.GetFileName(path);
        var graph = OnnxResNetImporter.Parse(File.ReadAllBytes(path), name).Graph;
        if (graph.Node is not [{ OpType: "Split" } split, { OpType: "Concat" } concat, { OpType: "Sub" } sub] ||
            split.Output.Count != 3 || OnnxNodes.Int(split, "axis", 0) != 1 || OnnxNodes.Int(concat, "axis", 0) != 1 ||
            concat.Input.Count != 3 || sub.Input.Count != 2 || sub.Input[0] != concat.Output[0])
        {
            throw new PalmLabException($"Cannot read {name}: PalmLab expects a Split of the channels, a Concat in another order and a Sub of a mean, not {string.Join(", ", graph.Node.Select(n => n.OpType))}.");
        }
        var order = concat.Input.Select(i => split.Output.IndexOf(i)).ToArray();
        var mean = graph.Initializer.FirstOrDefault(t => t.Name == sub.Input[1]);
        if (order.Order().SequenceEqual([0, 1, 2]) is false || mean is null || mean.Dims.Count < 3 || mean.Dims[^3] != 3)
        {
            throw new PalmLabException($"Cannot read {name}: its Concat is not an order of the three channels, or its Sub takes no constant 3-channel mean.");
        }
        try
        {
            return new PreprocessGraph(order, [.. mean.Dims.TakeLast(3)], OnnxNodes.Floats(mean, "the mean image"));
        }
        catch (OnnxImportException e)
        {
            throw new PalmLabException($"Cannot read {name}: {e.Message}.", e);
        }
    }

    /// <summary>The mean image's average over the pixels of each channel, in the network's (BGR) channel order.</summary>
    public float[] ChannelMeans()
    {
        var pixels = MeanImage.Length / 3;
        return [.. Enumerable.Range(0, 3).Select(c => (float)MeanImage.AsSpan(c * pixels, pixels).ToArray().Average(v => (double)v))];
    }

    /// <summary>
    /// The input transform for PalmLab's images (RGB in [-1, 1]): channel c is image channel ChannelOrder[c] in 0-255
    /// (x * 127.5 + 127.5) minus the mean image's per-channel mean. A per-channel mean, not the 224 x 224 mean image, so the
    /// network takes any image size (a multiple of 32); the two differ by the mean image's spatial variation only.
    /// </summary>
    public InputTransform ToTransform()
    {
        var means = ChannelMeans();
        return new InputTransform([.. ChannelOrder], [127.5f, 127.5f, 127.5f], [.. means.Select(m => 127.5f - m)]);
    }
}
