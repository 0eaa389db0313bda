using static TorchSharp.torch;

namespace PalmLab.Engine.Models;

/// <summary>
/// Padding for a strided k x k layer that pads one pixel less at the end of each axis than at its start
/// (<see cref="ResNetArchitecture.ShortEndPadding"/>): begin k / 2, end k / 2 - 1, with zeros.
/// </summary>
internal static class ShortEnd
{
    /// <summary><c>nn.functional.pad</c>'s [left, right, top, bottom] for a k x k layer.</summary>
    public static long[] Pad(long kernel) => [kernel / 2, kernel / 2 - 1, kernel / 2, kernel / 2 - 1];

    /// <summary>The input padded for a k x k layer when <paramref name="on"/>; the input itself otherwise.</summary>
    public static Tensor Apply(Tensor input, long kernel, bool on) => on ? nn.functional.pad(input, Pad(kernel)) : input;
}
