using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PalmLab.Engine.Models;

/// <summary>
/// A 1x1 convolution with stride 1 and no bias: a bottleneck network's first projection shortcut. The same parameter,
/// state-dict key ("weight"), initialisation and random draws as <c>nn.Conv2d(in, out, 1, bias: false)</c>, and it
/// computes in its input's type (<see cref="Mixed"/>), which a Conv2d inside nn.Sequential cannot be asked to.
/// </summary>
public sealed class Conv1x1 : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;

    public Conv1x1(long inChannels, long outChannels) : base(nameof(Conv1x1))
    {
        weight = new Parameter(empty(outChannels, inChannels, 1, 1));
        // nn.Conv2d's own reset, so that a seeded network draws the same numbers as before (ResNet re-initialises it).
        nn.init.kaiming_uniform_(weight, a: Math.Sqrt(5));
        RegisterComponents();
    }

    /// <summary>The kernel, for <see cref="FoldedConv"/> and the network's initialisation.</summary>
    internal Parameter Weight => weight;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var cast = Mixed.Like(weight, input);
        return nn.functional.conv2d(input, cast);
    }
}
