using PalmLab.Engine.Models;

namespace PalmLab.Engine.Onnx;

/// <summary>The shapes of a ResNet's weights (torchvision's widths: 64, 128, 256, 512 planes), checked before any is built.</summary>
internal static class ResNetShapes
{
    /// <summary>Every state-dict weight the walk named must have PalmLab's shape for that architecture.</summary>
    public static void Check(ResNetArchitecture architecture, IReadOnlyDictionary<string, ImportedTensor> weights)
    {
        var expected = Expected(architecture);
        foreach (var (key, tensor) in weights)
        {
            if (!expected.TryGetValue(key, out var shape))
            {
                throw new OnnxImportException($"the walk found '{key}', which a ResNet-{architecture.Depth} does not have");
            }
            if (!shape.SequenceEqual(tensor.Shape))
            {
                throw new OnnxImportException($"{key} is {OnnxNodes.Shape(tensor.Shape)} where a ResNet-{architecture.Depth} has {OnnxNodes.Shape(shape)} (PalmLab builds torchvision's widths and 3-channel images)");
            }
        }
        if (expected.Keys.FirstOrDefault(k => !weights.ContainsKey(k)) is { } missing)
        {
            throw new OnnxImportException($"no weight was found for {missing}");
        }
    }

    private static Dictionary<string, long[]> Expected(ResNetArchitecture architecture)
    {
        var shapes = new Dictionary<string, long[]>();
        void Unit(string conv, string bn, long outC, long inC, long k)
        {
            shapes[$"{conv}.weight"] = [outC, inC, k, k];
            foreach (var part in new[] { "weight", "bias", "running_mean", "running_var" })
            {
                shapes[$"{bn}.{part}"] = [outC];
            }
        }
        Unit("conv1", "bn1", 64, 3, 7);
        var expansion = architecture.Bottleneck ? Bottleneck.Expansion : BasicBlock.Expansion;
        long inPlanes = 64;
        for (var s = 0; s < 4; s++)
        {
            var planes = 64L << s;
            for (var i = 0; i < architecture.Blocks[s]; i++)
            {
                var p = $"layer{s + 1}.{i}";
                if (architecture.Bottleneck)
                {
                    Unit($"{p}.conv1", $"{p}.bn1", planes, inPlanes, 1);
                    Unit($"{p}.conv2", $"{p}.bn2", planes, planes, 3);
                    Unit($"{p}.conv3", $"{p}.bn3", planes * expansion, planes, 1);
                }
                else
                {
                    Unit($"{p}.conv1", $"{p}.bn1", planes, inPlanes, 3);
                    Unit($"{p}.conv2", $"{p}.bn2", planes, planes, 3);
                }
                if (i == 0 && (s > 0 || inPlanes != planes * expansion))
                {
                    Unit($"{p}.downsample.0", $"{p}.downsample.1", planes * expansion, inPlanes, 1);
                }
                inPlanes = planes * expansion;
            }
        }
        return shapes;
    }
}
