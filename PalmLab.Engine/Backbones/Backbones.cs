using PalmLab.Engine.Models;
using PalmLab.Engine.Onnx;

namespace PalmLab.Engine.Backbones;

/// <summary>
/// Where a run's network starts: <see cref="Scratch"/> (random weights) or a pretrained backbone, imported from ONNX:
/// the built-in <see cref="ImageNetResNet18"/> (ML.NET's ImageNet ResNet-18, copied to <c>models/</c> at build time) or
/// any <c>NAME.onnx</c> in a backbones folder (a ResNet-18/34/50/101/152 as <c>torch.onnx.export</c> writes torchvision's).
/// </summary>
/// <remarks>
/// Input normalisation is part of the network (<see cref="ResNetArchitecture.Input"/>), so every backbone takes PalmLab's
/// images (RGB in [-1, 1]). The built-in one gets what its preprocessing graph does (BGR, 0-255, minus the per-channel mean
/// of its mean image); a user's file gets torchvision's ImageNet convention: RGB, (x / 255 - mean) / std with mean
/// 0.485, 0.456, 0.406 and std 0.229, 0.224, 0.225.
/// </remarks>
public static class Backbones
{
    public const string Scratch = "scratch";

    public const string ImageNetResNet18 = "resnet18-imagenet";

    /// <summary>The file name of the built-in backbone in <see cref="BuiltInDir"/>.</summary>
    public const string BuiltInFile = "ResNet18.onnx";

    /// <summary>The file name of its preprocessing graph in <see cref="BuiltInDir"/>.</summary>
    public const string BuiltInPreprocessFile = "ResNetPreprocess.onnx";

    /// <summary>The folder the build copies the built-in ONNX files to.</summary>
    public static string BuiltInDir => Path.Combine(AppContext.BaseDirectory, "models");

    /// <summary>torchvision's ImageNet normalisation for PalmLab's images: the convention for a user's ONNX file.</summary>
    public static InputTransform TorchvisionImageNet { get; } = ImageNet([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    /// <summary>
    /// The backbone names on offer: <see cref="Scratch"/>, <see cref="ImageNetResNet18"/>, then each <c>NAME.onnx</c> in
    /// <paramref name="backbonesDir"/> (if given and present) whose name is safe (<see cref="IsSafeName"/>), sorted.
    /// </summary>
    public static IReadOnlyList<string> Available(string? backbonesDir)
    {
        var names = new List<string> { Scratch, ImageNetResNet18 };
        if (backbonesDir is not null && Directory.Exists(backbonesDir))
        {
            names.AddRange(Directory.EnumerateFiles(backbonesDir, "*.onnx")
                .Select(Path.GetFileNameWithoutExtension)
                .OfType<string>()
                .Where(n => IsSafeName(n) && !names.Contains(n))
                .Order(StringComparer.Ordinal));
        }
        return names;
    }

    /// <summary>A user backbone's name: 1-100 letters, digits, '-', '_' or '.', starting with a letter or digit (never a path).</summary>
    public static bool IsSafeName(string name) =>
        name.Length is > 0 and <= 100 && char.IsAsciiLetterOrDigit(name[0]) && !name.Contains("..", StringComparison.Ordinal) &&
        name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>
    /// The network of backbone <paramref name="name"/> with its pretrained weights, its input normalisation and a fresh
    /// one-logit head drawn from torch's generator (seed torch first). Each call returns a new network; the file is read once.
    /// </summary>
    public static ResNet Load(string name, string? backbonesDir)
    {
        var (imported, input) = Resolve(name, backbonesDir);
        return imported.Create(input);
    }

    /// <summary>
    /// The architecture of backbone <paramref name="name"/> (its depth, blocks and input normalisation), or null for
    /// <see cref="Scratch"/>, whose depth the options choose. Reads (and caches) the file on first use.
    /// </summary>
    public static ResNetArchitecture? ArchitectureOf(string name, string? backbonesDir)
    {
        if (name == Scratch)
        {
            return null;
        }
        var (imported, input) = Resolve(name, backbonesDir);
        return imported.Architecture with { Input = input };
    }

    /// <summary>The depth of backbone <paramref name="name"/> (not <see cref="Scratch"/>, whose depth the options choose).</summary>
    public static int DepthOf(string name, string? backbonesDir) =>
        ArchitectureOf(name, backbonesDir)?.Depth ?? throw new PalmLabException("Training from scratch has no depth of its own: the options choose it.");

    /// <summary>A line for people: "ResNet-18 (blocks 2, 2, 2, 3), ImageNet weights" or "random weights".</summary>
    public static string Describe(string name, string? backbonesDir) => ArchitectureOf(name, backbonesDir) is { } a
        ? $"ResNet-{a.Depth} (blocks {string.Join(", ", a.Blocks)}{(a.Bottleneck ? ", bottleneck" : "")}), pretrained weights from {(name == ImageNetResNet18 ? "ImageNet (ML.NET's ResNet-18)" : $"{name}.onnx")}"
        : "random weights (trained from scratch)";

    private static (ImportedResNet Imported, InputTransform Input) Resolve(string name, string? backbonesDir)
    {
        if (name == ImageNetResNet18)
        {
            var file = Path.Combine(BuiltInDir, BuiltInFile);
            var preprocess = Path.Combine(BuiltInDir, BuiltInPreprocessFile);
            if (!File.Exists(file) || !File.Exists(preprocess))
            {
                throw new PalmLabException($"The built-in backbone '{ImageNetResNet18}' is missing its file models/{(File.Exists(file) ? BuiltInPreprocessFile : BuiltInFile)}: " +
                    "the build copies it from the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18; rebuild PalmLab (dotnet build).");
            }
            return (BackboneCache.Imported(file), BackboneCache.Preprocess(preprocess).ToTransform());
        }
        if (name != Scratch && IsSafeName(name) && backbonesDir is not null)
        {
            var file = Path.Combine(backbonesDir, name + ".onnx");
            if (File.Exists(file))
            {
                return (BackboneCache.Imported(file), TorchvisionImageNet);
            }
        }
        if (name == Scratch)
        {
            throw new PalmLabException($"'{Scratch}' has no pretrained weights: build ResNet(depth) for it.");
        }
        throw new PalmLabException($"Unknown backbone '{name}': use one of {string.Join(", ", Available(backbonesDir))}.");
    }

    private static InputTransform ImageNet(float[] mean, float[] std) =>
        // x in [-1, 1] is (x + 1) / 2 in [0, 1]; ((x + 1) / 2 - mean) / std = x * (0.5 / std) + (0.5 - mean) / std.
        new([0, 1, 2], [.. std.Select(s => 0.5f / s)], [.. mean.Select((m, c) => (0.5f - m) / std[c])]);
}
