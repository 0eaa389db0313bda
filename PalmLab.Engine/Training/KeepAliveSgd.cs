using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PalmLab.Engine.Training;

/// <summary>
/// TorchSharp's SGD (momentum, dampening, weight decay, Nesterov), with the same update and the same state (a
/// checkpoint's momentum buffers load into either), but with every Scalar it hands to libtorch owned and alive until
/// the call that reads it has returned.
/// </summary>
/// <remarks>
/// TorchSharp 0.107's <c>SGD.step</c> passes doubles as implicit Scalars (<c>param.add_(grad, alpha: -lr)</c>,
/// <c>buf.mul_(momentum)</c>): their objects are unreachable during the native call, so a garbage collection started
/// by any other thread lets the finalizer free them while libtorch reads them, and a run failed at random in
/// <c>THSTensor_add_</c> ("Expected false to be true ... toFloat"). See <see cref="Runtime.Scalars"/>.
/// </remarks>
public sealed class KeepAliveSgd : SGD
{
    /// <summary>One group of parameters, all at <paramref name="lr"/>.</summary>
    public KeepAliveSgd(IEnumerable<Parameter> parameters, double lr, double momentum = 0, double weightDecay = 0, bool nesterov = false)
        : base(parameters, lr, momentum, weight_decay: weightDecay, nesterov: nesterov)
    {
    }

    /// <summary>Groups of parameters, each at its own learning rate (its options' <c>LearningRate</c>, else <paramref name="lr"/>).</summary>
    public KeepAliveSgd(IEnumerable<ParamGroup> groups, double lr, double momentum = 0, double weightDecay = 0, bool nesterov = false)
        : base(groups, lr, momentum, weight_decay: weightDecay, nesterov: nesterov)
    {
    }

    /// <inheritdoc />
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = group.Options;
        var (momentum, weightDecay, nesterov) = (options.momentum!.Value, options.weight_decay!.Value, options.nesterov!.Value);
        var lr = options.LearningRate!.Value;
        // Disposed after the loop, so alive for every native call below (a using is a reference that the JIT keeps).
        using var momentumScalar = momentum.ToScalar();
        using var dampeningScalar = (1 - options.dampening!.Value).ToScalar();
        using var weightDecayScalar = weightDecay.ToScalar();
        using var stepScalar = (options.maximize!.Value ? lr : -lr).ToScalar();
        foreach (var param in group.Parameters)
        {
            var grad = param.grad;
            if (grad is null)
            {
                continue;
            }
            if (weightDecay != 0)
            {
                grad = grad.add(param, weightDecayScalar);
            }
            if (momentum != 0)
            {
                var state = (State)_state[param.Handle];
                var buffer = state.momentum_buffer;
                if (buffer is null)
                {
                    buffer = grad.clone().detach().DetachFromDisposeScope();
                    state.momentum_buffer = buffer;
                }
                else
                {
                    buffer.mul_(momentumScalar).add_(grad, dampeningScalar);
                }
                grad = nesterov ? grad.add(buffer, momentumScalar) : buffer;
            }
            param.add_(grad, stepScalar);
        }
    }, closure);
}
