using TorchSharp.Modules;

namespace PalmLab.Engine.Training;

/// <summary>
/// The optimizer's group of a pretrained backbone's parameters (everything but the head), which learns at
/// <see cref="Factor"/> times the run's learning rate (<see cref="TrainingOptions.BackboneLearningRate"/>).
/// </summary>
public sealed class BackboneParamGroup(IEnumerable<TorchSharp.Modules.Parameter> parameters, double factor)
    : SGD.ParamGroup(parameters, new SGD.Options())
{
    public double Factor { get; } = factor;
}
