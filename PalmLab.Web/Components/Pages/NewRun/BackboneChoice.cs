using PalmLab.Engine;
using PalmLab.Engine.Training;
using BackboneRegistry = PalmLab.Engine.Backbones.Backbones;

namespace PalmLab.Web.Components.Pages.NewRun;

/// <summary>
/// One way a run can start, as the "Start from" card offers it: <see cref="BackboneRegistry.Scratch"/>, or a pretrained
/// backbone with its depth (null with the <see cref="Problem"/> when its file cannot be read).
/// </summary>
public sealed record BackboneChoice(string Name, int? Depth, string? Problem = null)
{
    public bool IsScratch => Name == BackboneRegistry.Scratch;

    /// <summary>What the card says it is.</summary>
    public string Title => IsScratch ? "Scratch" : Name;

    public string Line =>
        IsScratch ? "Random weights: every layer learns from these images alone (the reference recipe)."
        : Problem is not null ? $"Cannot be used: {Problem}"
        : Name == BackboneRegistry.ImageNetResNet18 ? $"ResNet-{Depth} trained on ImageNet (built in, from ML.NET's package)."
        : $"ResNet-{Depth} from your backbones folder ({Name}.onnx).";

    /// <summary>
    /// Scratch and every backbone of <paramref name="backbonesDir"/> (and the built-in ones). A backbone whose file cannot
    /// be read is listed with its problem, and a folder that cannot be listed offers scratch with the reason.
    /// </summary>
    public static IReadOnlyList<BackboneChoice> List(string? backbonesDir)
    {
        IReadOnlyList<string> names;
        try
        {
            names = BackboneRegistry.Available(backbonesDir);
        }
        catch (PalmLabException e)
        {
            return [new(BackboneRegistry.Scratch, null), new("backbones", null, e.Message)];
        }
        return [.. names.Where(n => n != BackboneRegistry.Scratch).Select(n => Of(n, backbonesDir)).Prepend(new(BackboneRegistry.Scratch, null))];
    }

    private static BackboneChoice Of(string name, string? backbonesDir)
    {
        try
        {
            return new(name, BackboneRegistry.DepthOf(name, backbonesDir));
        }
        catch (PalmLabException e)
        {
            return new(name, null, e.Message);
        }
    }

    /// <summary>
    /// The options started from <paramref name="choice"/>: a backbone brings its depth; scratch trains every layer at the
    /// rate with learning batch norms, at the depth of <paramref name="baseline"/> when that started from scratch too.
    /// </summary>
    public static TrainingOptions Choose(TrainingOptions options, BackboneChoice choice, TrainingOptions? baseline) => choice.IsScratch
        ? options with
        {
            Backbone = BackboneRegistry.Scratch,
            BackboneLearningRate = 1,
            FreezeBatchNorm = false,
            Depth = baseline is { Backbone: BackboneRegistry.Scratch } ? baseline.Depth : options.Depth,
        }
        : options with { Backbone = choice.Name, Depth = choice.Depth ?? options.Depth };
}
