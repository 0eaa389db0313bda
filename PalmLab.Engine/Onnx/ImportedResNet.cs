using PalmLab.Engine.Models;
using static TorchSharp.torch;

namespace PalmLab.Engine.Onnx;

/// <summary>
/// A ResNet read from an ONNX file: its shape (with no input transform: the graph's own input) and its weights and batch-norm
/// statistics under PalmLab's state-dict names. Immutable, so one can be cached and every caller given its own network.
/// </summary>
public sealed class ImportedResNet
{
    internal ImportedResNet(ResNetArchitecture architecture, IReadOnlyDictionary<string, ImportedTensor> weights)
    {
        Architecture = architecture;
        Weights = weights;
    }

    /// <summary>The shape read from the graph; <see cref="ResNetArchitecture.Input"/> is null (the file's own input).</summary>
    public ResNetArchitecture Architecture { get; }

    /// <summary>Weights and batch-norm statistics by state-dict key (<c>conv1.weight</c>, <c>layer4.2.bn2.running_var</c>, ...).</summary>
    public IReadOnlyDictionary<string, ImportedTensor> Weights { get; }

    /// <summary>
    /// A new trainable network with these weights, taking its images through <paramref name="input"/> (null: exactly the
    /// file's input), and a fresh one-logit head drawn from torch's generator (seed it first for reproducible heads).
    /// </summary>
    public ResNet Create(InputTransform? input)
    {
        var model = new ResNet(Architecture with { Input = input });
        var state = model.state_dict();
        using var noGrad = no_grad();
        foreach (var (key, weight) in Weights)
        {
            using var values = tensor(weight.Values, weight.Shape);
            state[key].copy_(values);
        }
        return model;
    }
}
