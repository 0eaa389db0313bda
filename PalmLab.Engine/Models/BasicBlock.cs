using PalmLab.Engine.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PalmLab.Engine.Models;

/// <summary>ResNet-18/34 block: two 3x3 convolutions and a shortcut, named as in torchvision.</summary>
public sealed class BasicBlock : nn.Module<Tensor, Tensor>
{
    /// <summary>Output channels per input "plane".</summary>
    public const int Expansion = 1;

    private readonly Conv2d conv1;
    private readonly KeepAliveBatchNorm2d bn1;
    private readonly ReLU relu;
    private readonly Conv2d conv2;
    private readonly KeepAliveBatchNorm2d bn2;
    private readonly nn.Module<Tensor, Tensor>? downsample;
    private readonly long stride;
    private readonly bool shortEnd;
    private FoldedConv[]? folded;

    /// <summary>Creates a block; <paramref name="downsample"/> is the projection shortcut, or null for identity.</summary>
    /// With <paramref name="shortEndPadding"/> a strided first convolution pads begin 1, end 0 (<see cref="ResNetArchitecture.ShortEndPadding"/>).
    public BasicBlock(long inPlanes, long planes, long stride, nn.Module<Tensor, Tensor>? downsample, bool shortEndPadding = false) : base(nameof(BasicBlock))
    {
        shortEnd = shortEndPadding && stride > 1;
        conv1 = nn.Conv2d(inPlanes, planes, 3, stride: stride, padding: shortEnd ? 0 : 1, bias: false);
        bn1 = new KeepAliveBatchNorm2d(planes);
        relu = nn.ReLU(inplace: true);
        conv2 = nn.Conv2d(planes, planes, 3, padding: 1, bias: false);
        bn2 = new KeepAliveBatchNorm2d(planes);
        this.downsample = downsample;
        this.stride = stride;
        RegisterComponents();
    }

    /// <summary>With <paramref name="on"/>, evaluation runs every convolution with its batch norm folded in; off, as trained.</summary>
    internal void Fold(bool on)
    {
        FoldedConv.DisposeAll(folded);
        folded = on ? [FoldedConv.Of(conv1.weight!, bn1, stride, shortEnd ? 0 : 1, pad: shortEnd ? ShortEnd.Pad(3) : null), FoldedConv.Of(conv2.weight!, bn2, 1, 1), .. FoldedConv.OfShortcutIfAny(downsample)] : null;
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        if (folded is { } f && !training)
        {
            var shortcut = f.Length > 2 ? f[2].Call(input) : input;
            var y = f[1].Call(relu.call(f[0].Call(input)));  // f[0] pads for itself
            y.add_(shortcut, Scalars.One);
            return relu.call(y).MoveToOuterDisposeScope();
        }
        var identity = downsample is null ? input : downsample.call(input);
        var x = relu.call(bn1.call(Mixed.Conv(conv1, ShortEnd.Apply(input, 3, shortEnd))));
        x = bn2.call(Mixed.Conv(conv2, x));
        x.add_(identity, Scalars.One);
        return relu.call(x).MoveToOuterDisposeScope();
    }
}
