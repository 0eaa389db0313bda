using System.Text.Json.Serialization;

namespace PalmLab.Engine.Models;

/// <summary>
/// The shape of a ResNet PalmLab builds: torchvision's for a depth (<see cref="Standard"/>), or one read from a pretrained
/// ONNX file, which may differ (the ImageNet ResNet-18 of ML.NET's package has a third block in its last stage, pads
/// strided layers only at the start, and expects BGR pixels in 0-255 minus a mean). A checkpoint records it, so the model
/// can be rebuilt without the file it was imported from.
/// </summary>
public sealed record ResNetArchitecture
{
    /// <summary>The depth it is known by (18, 34, 50, 101, 152); the options' <c>depth</c>.</summary>
    public int Depth { get; init; }

    /// <summary>Blocks in each of the four stages.</summary>
    public int[] Blocks { get; init; } = [];

    /// <summary>Bottleneck blocks (ResNet-50 and deeper) rather than basic ones.</summary>
    public bool Bottleneck { get; init; }

    /// <summary>
    /// Strided layers (the 7x7 stem, the 3x3 max pool, a block's strided 3x3 convolution) pad one pixel less at the end of
    /// each axis than at its start (begin 3, end 2; begin 1, end 0), as CNTK exports them; false pads both ends equally,
    /// as torchvision does. Such a network takes images whose size is a multiple of 32 (every strided layer then sees an even
    /// size, where the two paddings give the same result; on an odd one its 3x3 and 1x1 stride-2 paths would disagree).
    /// </summary>
    public bool ShortEndPadding { get; init; }

    /// <summary>How images as PalmLab loads them become the first layer's input; null takes them as they are.</summary>
    public InputTransform? Input { get; init; }

    /// <summary>torchvision's ResNet of that depth: PalmLab's network trained from scratch.</summary>
    public static ResNetArchitecture Standard(int depth) => depth switch
    {
        18 => new() { Depth = 18, Blocks = [2, 2, 2, 2] },
        34 => new() { Depth = 34, Blocks = [3, 4, 6, 3] },
        50 => new() { Depth = 50, Blocks = [3, 4, 6, 3], Bottleneck = true },
        101 => new() { Depth = 101, Blocks = [3, 4, 23, 3], Bottleneck = true },
        152 => new() { Depth = 152, Blocks = [3, 8, 36, 3], Bottleneck = true },
        _ => throw new PalmLabException($"Unknown ResNet depth {depth}: use one of {string.Join(", ", ResNet.Depths)}."),
    };

    /// <summary>Whether this is <see cref="Standard"/> of its depth (records compare arrays by reference, so this compares values).</summary>
    [JsonIgnore]
    public bool IsStandard => ResNet.Depths.Contains(Depth) && SameShape(Standard(Depth));

    /// <summary>The same blocks, padding and input transform.</summary>
    public bool SameShape(ResNetArchitecture other) =>
        Depth == other.Depth && Blocks.SequenceEqual(other.Blocks) && Bottleneck == other.Bottleneck &&
        ShortEndPadding == other.ShortEndPadding && (Input?.SameAs(other.Input) ?? other.Input is null);
}

/// <summary>
/// Channel <c>c</c> of the network's input is channel <c>ChannelOrder[c]</c> of the image (RGB in [-1, 1], as PalmLab
/// loads every image) times <c>Scale[c]</c> plus <c>Shift[c]</c>. For a network trained on BGR pixels in 0-255 minus a
/// per-channel mean m: order [2, 1, 0], scale 127.5, shift 127.5 - m[c].
/// </summary>
public sealed record InputTransform(int[] ChannelOrder, float[] Scale, float[] Shift)
{
    /// <summary>The same order, scales and shifts.</summary>
    public bool SameAs(InputTransform? other) => other is not null &&
        ChannelOrder.SequenceEqual(other.ChannelOrder) && Scale.SequenceEqual(other.Scale) && Shift.SequenceEqual(other.Shift);
}
