using PalmLab.Engine.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PalmLab.Engine.Models;

/// <summary>
/// nn.BatchNorm2d (ε 1e-5, momentum 0.1, affine, running statistics) with the same parameters, buffers and state-dict
/// keys, whose training step counts <c>num_batches_tracked</c> with a Scalar that cannot be freed during the call.
/// </summary>
/// <remarks>
/// TorchSharp's forward counts with <c>num_batches_tracked.add_(1)</c>, two implicit Scalars that a garbage collection
/// on another thread may finalize while libtorch reads them (see <see cref="Scalars"/>): a training run failed with
/// "For integral input tensors, argument alpha must not be a floating point number" or "Unknown scalar type".
/// </remarks>
public sealed class KeepAliveBatchNorm2d(long features)
    : BatchNorm(features, eps: 1e-5, momentum: 0.1, affine: true, track_running_stats: true, device: null, dtype: null, name: nameof(BatchNorm2d))
{
    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ValidateInputDimensions(input);
        if (training)
        {
            num_batches_tracked?.add_(Scalars.One, Scalars.One);
        }
        return nn.functional.batch_norm(input, running_mean, running_var, weight, bias, training, momentum ?? 0.1, eps);
    }

    /// <inheritdoc />
    protected override void ValidateInputDimensions(Tensor input)
    {
        if (input.ndim != 4)
        {
            throw new ArgumentException($"expected 4D input, but got {input.ndim}D input.");
        }
    }
}
