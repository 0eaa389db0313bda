using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PalmLab.Engine.Models;

/// <summary>
/// bf16 mixed precision as PyTorch's CPU autocast splits it: a convolution or the linear head whose input is bfloat16
/// runs in bfloat16 with a bfloat16 copy of its fp32 weights, made for the call (gradients flow back through the copy
/// to the fp32 weights, which the optimizer keeps); batch norm takes the bfloat16 activations with its fp32 statistics
/// and affine parameters; ReLU, pooling and the residual sums run in the activations' type. The network casts its
/// input when it runs in bf16 (<see cref="ResNet.Precision"/>) and returns fp32 logits, so the loss and everything after
/// it stay in fp32. An fp32 input takes each layer's own path unchanged.
/// </summary>
public static class Mixed
{
    /// <summary>The convolution of <paramref name="input"/> in the input's type.</summary>
    public static Tensor Conv(Conv2d conv, Tensor input)
    {
        var weight = conv.weight!;
        if (input.dtype == weight.dtype)
        {
            return conv.call(input);
        }
        using var cast = weight.to(input.dtype);
        return nn.functional.conv2d(input, cast, strides: conv.stride, padding: conv.padding, dilation: conv.dilation, groups: conv.groups);
    }

    /// <summary>The linear layer of <paramref name="input"/> in the input's type.</summary>
    public static Tensor Linear(Linear linear, Tensor input)
    {
        var weight = linear.weight!;
        if (input.dtype == weight.dtype)
        {
            return linear.call(input);
        }
        using var castWeight = weight.to(input.dtype);
        using var castBias = linear.bias?.to(input.dtype);
        return nn.functional.linear(input, castWeight, castBias);
    }

    /// <summary><paramref name="weight"/> in <paramref name="input"/>'s type: itself when they agree, else a copy the caller disposes.</summary>
    public static Tensor Like(Tensor weight, Tensor input) => input.dtype == weight.dtype ? weight.alias() : weight.to(input.dtype);
}
