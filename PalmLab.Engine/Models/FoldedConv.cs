using PalmLab.Engine.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PalmLab.Engine.Models;

/// <summary>
/// A convolution and the batch norm after it, as one convolution with a bias, for evaluation: with the norm's running
/// statistics, y = γ (conv(x) − μ) / √(σ² + ε) + β is conv(x) with weights scaled by s = γ / √(σ² + ε) per output
/// channel and bias β − μ s. Saves the norm's pass over every activation (bench: the forward 1.06-1.10x faster, folding 5-14 ms).
/// </summary>
public sealed class FoldedConv : IDisposable
{
    private readonly Tensor _weight;
    private readonly Tensor _bias;
    private readonly long _stride;
    private readonly long _padding;
    private readonly bool _everySecondPixel;
    private readonly long[]? _pad;
    private Tensor? _weightCast;
    private Tensor? _biasCast;

    private FoldedConv(Tensor weight, Tensor bias, long stride, long padding, bool everySecondPixel, long[]? pad)
    {
        (_weight, _bias, _stride, _padding, _everySecondPixel, _pad) = (weight, bias, stride, padding, everySecondPixel, pad);
    }

    /// <summary>
    /// Folds <paramref name="norm"/> into <paramref name="weight"/>; <paramref name="everySecondPixel"/> reads x[..., ::2, ::2] first
    /// (<see cref="Conv1x1Stride2"/>); <paramref name="pad"/> pads the input first (<see cref="ShortEnd"/>).
    /// </summary>
    public static FoldedConv Of(Tensor weight, BatchNorm norm, long stride = 1, long padding = 0, bool everySecondPixel = false, long[]? pad = null)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var eps = norm.eps.ToScalar();
        var scale = norm.weight! / norm.running_var!.add(eps, Scalars.One).sqrt();
        var folded = (weight * scale.reshape(-1, 1, 1, 1)).contiguous();
        var bias = norm.bias! - norm.running_mean! * scale;
        return new FoldedConv(folded.MoveToOuterDisposeScope(), bias.MoveToOuterDisposeScope(), stride, padding, everySecondPixel, pad);
    }

    /// <summary>Folds a block's shortcut, nn.Sequential(projection, norm), where the projection is a 1x1 convolution.</summary>
    public static FoldedConv OfShortcut(nn.Module<Tensor, Tensor> shortcut)
    {
        var parts = shortcut.children().ToArray();
        var norm = (BatchNorm)parts[1];
        return parts[0] switch
        {
            Conv1x1Stride2 projection => Of(projection.Weight, norm, everySecondPixel: true),
            Conv1x1 projection => Of(projection.Weight, norm),
            var other => throw new InvalidOperationException($"Cannot fold a shortcut projection of type {other.GetType().Name}."),
        };
    }

    /// <summary>The folded shortcut as a one-element list, or none for an identity shortcut.</summary>
    public static FoldedConv[] OfShortcutIfAny(nn.Module<Tensor, Tensor>? shortcut) => shortcut is null ? [] : [OfShortcut(shortcut)];

    public static void DisposeAll(FoldedConv[]? convs)
    {
        foreach (var conv in convs ?? [])
        {
            conv.Dispose();
        }
    }

    public Tensor Call(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = _everySecondPixel ? Conv1x1Stride2.EverySecondPixel(input) : input;
        x = _pad is null ? x : nn.functional.pad(x, _pad);
        var (weight, bias) = x.dtype == _weight.dtype ? (_weight, _bias) : Cast(x.dtype);
        return nn.functional.conv2d(x, weight, bias, strides: [_stride, _stride], padding: [_padding, _padding]).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _weight.Dispose();
        _bias.Dispose();
        _weightCast?.Dispose();
        _biasCast?.Dispose();
    }

    // The folded weights in the activations' type (bf16), made on the first batch and kept for the pass: casting them
    // again for every batch is what a training step must do, not an evaluation pass over fixed weights.
    private (Tensor Weight, Tensor Bias) Cast(ScalarType type)
    {
        if (_weightCast?.dtype != type)
        {
            _weightCast?.Dispose();
            _biasCast?.Dispose();
            _weightCast = _weight.to(type).DetachFromDisposeScope();
            _biasCast = _bias.to(type).DetachFromDisposeScope();
        }
        return (_weightCast, _biasCast!);
    }
}
