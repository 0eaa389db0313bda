using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PalmLab.Engine.Models;

/// <summary>
/// A 1x1 convolution with stride 2, computed as every second pixel followed by a stride-1 1x1 convolution.
/// </summary>
/// <remarks>
/// Identical outputs, parameters and state-dict key ("weight") to <c>Conv2d(in, out, 1, stride: 2, bias: false)</c>,
/// but its backward pass avoids a oneDNN kernel that dies with SIGFPE on some x86 VMs (ResNet-50's 512->1024
/// and 1024->2048 projections). It is also cheaper: the convolution sees a quarter of the pixels.
/// </remarks>
public sealed class Conv1x1Stride2 : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;

    /// <summary>Creates the convolution with Kaiming-normal (fan-out, ReLU) weights, as torchvision does.</summary>
    public Conv1x1Stride2(long inChannels, long outChannels) : base(nameof(Conv1x1Stride2))
    {
        weight = new Parameter(empty(outChannels, inChannels, 1, 1));
        nn.init.kaiming_normal_(weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
        RegisterComponents();
    }

    /// <summary>The 1x1 kernel, for <see cref="FoldedConv"/>.</summary>
    internal Parameter Weight => weight;

    /// <summary>x[..., ::2, ::2]: the pixels a stride-2 1x1 convolution reads.</summary>
    internal static Tensor EverySecondPixel(Tensor input) =>
        input[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(null, null, 2), TensorIndex.Slice(null, null, 2)];

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var every2nd = EverySecondPixel(input);
        using var cast = Mixed.Like(weight, input);
        return nn.functional.conv2d(every2nd, cast);
    }
}
