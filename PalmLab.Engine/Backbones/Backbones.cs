using PalmLab.Engine.Models;

namespace PalmLab.Engine.Backbones;

/// <summary>
/// Where a run's network starts: <see cref="Scratch"/> (random weights) or a pretrained backbone, imported from ONNX:
/// the built-in <see cref="ImageNetResNet18"/> (ML.NET's ImageNet ResNet-18, copied to <c>models/</c> at build time) or
/// any <c>NAME.onnx</c> in a backbones folder.
/// </summary>
public static class Backbones
{
    public const string Scratch = "scratch";

    public const string ImageNetResNet18 = "resnet18-imagenet";

    /// <summary>The folder the build copies the built-in ONNX files to.</summary>
    public static string BuiltInDir => Path.Combine(AppContext.BaseDirectory, "models");

    /// <summary>
    /// PLACEHOLDER of feat/backbone-option (the importer replaces it): the shape of backbone "resnet18-imagenet",
    /// untrained, and a fresh one-logit head (seed torch first).
    /// </summary>
    public static ResNet Load(string name, string? backbonesDir) => new(ArchitectureOf(name, backbonesDir));

    /// <summary>PLACEHOLDER: the backbones a run can start from, <see cref="Scratch"/> first.</summary>
    public static IReadOnlyList<string> Available(string? backbonesDir) => [Scratch, ImageNetResNet18];

    /// <summary>PLACEHOLDER: the depth of a backbone, without loading its weights.</summary>
    public static int DepthOf(string name, string? backbonesDir) => ArchitectureOf(name, backbonesDir).Depth;

    /// <summary>PLACEHOLDER: the shape of a backbone's network, without loading its weights.</summary>
    public static ResNetArchitecture ArchitectureOf(string name, string? backbonesDir) => name == ImageNetResNet18
        ? ResNetArchitecture.Standard(18) with
        {
            Blocks = [2, 2, 2, 3],
            ShortEndPadding = true,
            Input = new InputTransform([2, 1, 0], [127.5f, 127.5f, 127.5f], [24f, 13f, 4f]),
        }
        : throw new PalmLabException($"Unknown backbone '{name}'.");
}
