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
    /// INTERFACE PLACEHOLDER (issue 22, replaced by the ONNX importer): the network of backbone <paramref name="name"/>
    /// with its pretrained weights and a fresh one-logit head (seed torch first). Today it has no weights.
    /// </summary>
    public static ResNet Load(string name, string? backbonesDir) => name == ImageNetResNet18
        ? throw new PalmLabException("The ONNX importer is not merged yet.")
        : throw new PalmLabException($"Unknown backbone '{name}'.");
}
