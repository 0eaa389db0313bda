using PalmLab.Engine.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PalmLab.Engine.Training;

/// <summary>
/// How a run trains a pretrained backbone (<see cref="TrainingOptions.Backbone"/>): the backbone learns at a fraction of
/// the head's rate (<see cref="TrainingOptions.BackboneLearningRate"/>; 0 freezes it), and with
/// <see cref="TrainingOptions.FreezeBatchNorm"/> its batch norms keep their statistics and weights. From scratch every
/// parameter is in one group at the run's rate, as it always was.
/// </summary>
public static class FineTuning
{
    /// <summary>The head's parameters are <c>fc.weight</c> and <c>fc.bias</c>; everything else is the backbone.</summary>
    public static bool IsHead(string parameterName) => parameterName.StartsWith("fc.", StringComparison.Ordinal);

    /// <summary>
    /// The optimizer of a run: SGD with the options' rate, momentum and weight decay. With a pretrained backbone its
    /// parameters are a <see cref="BackboneParamGroup"/> before the head's group; the parameters it does not train (a
    /// frozen backbone's, frozen batch norms' weights) get <c>requires_grad</c> false and are left out, so no gradient is
    /// computed for them.
    /// </summary>
    public static SGD CreateOptimizer(ResNet model, TrainingOptions options)
    {
        if (options.Backbone == Backbones.Backbones.Scratch)
        {
            return new KeepAliveSgd(model.parameters(), options.LearningRate, options.Momentum, options.WeightDecay);
        }
        var frozenNorms = options.FreezeBatchNorm
            ? model.named_modules().Where(m => m.module is BatchNorm).SelectMany(m => m.module.named_parameters().Select(p => $"{m.name}.{p.name}")).ToHashSet()
            : [];
        var head = new List<Parameter>();
        var backbone = new List<Parameter>();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (IsHead(name))
            {
                head.Add(parameter);
            }
            else if (options.BackboneLearningRate == 0 || frozenNorms.Contains(name))
            {
                parameter.requires_grad = false;
            }
            else
            {
                backbone.Add(parameter);
            }
        }
        var groups = new List<SGD.ParamGroup>();
        if (backbone.Count > 0)
        {
            groups.Add(new BackboneParamGroup(backbone, options.BackboneLearningRate));
        }
        groups.Add(new SGD.ParamGroup(head, new SGD.Options()));
        var optimizer = new KeepAliveSgd(groups, options.LearningRate, options.Momentum, options.WeightDecay);
        SetLearningRate(optimizer, options.LearningRate);
        return optimizer;
    }

    /// <summary>Sets the schedule's <paramref name="rate"/> for the head, and its fraction for a backbone's group.</summary>
    public static void SetLearningRate(SGD optimizer, double rate)
    {
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = group is BackboneParamGroup backbone ? rate * backbone.Factor : rate;
        }
    }

    /// <summary>
    /// Puts the model in training mode; with <see cref="TrainingOptions.FreezeBatchNorm"/> its batch norms stay in
    /// evaluation mode (they normalise with their running statistics and do not update them). Call it after every
    /// <c>train()</c> or evaluation.
    /// </summary>
    public static void Train(ResNet model, TrainingOptions options)
    {
        model.train();
        if (options.FreezeBatchNorm)
        {
            foreach (var (_, module) in model.named_modules())
            {
                if (module is BatchNorm norm)
                {
                    norm.eval();
                }
            }
        }
    }
}
