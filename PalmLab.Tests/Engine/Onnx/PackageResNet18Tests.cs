using PalmLab.Engine.Backbones;
using PalmLab.Engine.Data;
using PalmLab.Engine.Onnx;
using PalmLab.Tests.Support;
using static TorchSharp.torch;
using Xunit.Abstractions;

namespace PalmLab.Tests.Engine.Onnx;

/// <summary>ML.NET's ImageNet ResNet-18 (CNTK's export) and its preprocessing graph, imported and checked against ONNX Runtime.</summary>
public class PackageResNet18Tests(ITestOutputHelper output)
{
    private static readonly string ModelPath = Path.Combine(Backbones.BuiltInDir, Backbones.BuiltInFile);
    private static readonly string PreprocessPath = Path.Combine(Backbones.BuiltInDir, Backbones.BuiltInPreprocessFile);
    private static readonly int[] Shape = [1, 3, 224, 224];

    [Fact]
    public void Architecture_IsCntksResNet18_WithAThirdBlockInTheLastStageAndShortEndPadding()
    {
        var imported = OnnxResNetImporter.Read(ModelPath);

        Assert.Equal(18, imported.Architecture.Depth);
        Assert.Equal([2, 2, 2, 3], imported.Architecture.Blocks);
        Assert.False(imported.Architecture.Bottleneck);
        Assert.True(imported.Architecture.ShortEndPadding);
        Assert.Null(imported.Architecture.Input);
        // Every one of the file's 110 initializers (22 convolutions, each with its batch norm's scale, bias, mean and
        // variance: 15.9 M values) lands in exactly one state-dict entry.
        var file = global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(ModelPath)).Graph.Initializer;
        Assert.Equal(110, file.Count);
        Assert.Equal(file.Count, imported.Weights.Count);
        Assert.Equal(file.Sum(t => (long)t.FloatData.Count), imported.Weights.Values.Sum(w => (long)w.Values.Length));
        Assert.Equal(file.Sum(t => t.FloatData.Sum(v => (double)v)), imported.Weights.Values.Sum(w => w.Values.Sum(v => (double)v)), 1e-3);
    }

    [Fact]
    public void Features_OnARealImage_EqualOnnxRuntimes()
    {
        var image = Directory.EnumerateFiles(RepoPaths.RequireRealTrainingImages(), "*.jpg").Order(StringComparer.Ordinal).First();
        using var loaded = Backbones.Load(Backbones.ImageNetResNet18, null);
        using var scope = NewDisposeScope();
        // The network's input as it sees it in training: the image (RGB in [-1, 1]) through the backbone's own transform.
        var input = loaded.Transform(tensor(ImageDecoder.Decode(image, 224), [1, 3, 224, 224])).data<float>().ToArray();

        var relative = Compare(input);

        output.WriteLine($"{Path.GetFileName(image)}: max |PalmLab - ORT| / max |ORT| = {relative:E2}");
    }

    [Fact]
    public void Features_OnRandomInput_EqualOnnxRuntimes()
    {
        var relative = Compare(OnnxFeatures.Random(3 * 224 * 224, seed: 7, -120f, 140f));

        output.WriteLine($"random input: max |PalmLab - ORT| / max |ORT| = {relative:E2}");
    }

    [Fact]
    public void InputTransform_ReordersAndScalesAsThePreprocessingGraph_UpToItsMeanImage()
    {
        var graph = PreprocessGraph.Read(PreprocessPath);
        var transform = Backbones.ArchitectureOf(Backbones.ImageNetResNet18, null)!.Input!;
        var pixels = OnnxFeatures.Random(3 * 224 * 224, seed: 11, 0f, 255f).Select(p => MathF.Round(p)).ToArray();  // RGB 0-255
        var reference = OnnxFeatures.OnnxRuntime(File.ReadAllBytes(PreprocessPath), pixels, Shape);

        using var model = new PalmLab.Engine.Models.ResNet(PalmLab.Engine.Models.ResNetArchitecture.Standard(18) with { Input = transform });
        using var scope = NewDisposeScope();
        var ours = model.Transform(tensor(pixels.Select(p => p / 127.5f - 1).ToArray(), [1, 3, 224, 224])).data<float>().ToArray();
        // Ours subtracts each channel's mean; put back the mean image's own pixels to compare order and scale exactly.
        var means = graph.ChannelMeans();
        var plane = 224 * 224;
        var gap = ours.Select((v, i) => Math.Abs(v + means[i / plane] - graph.MeanImage[i] - reference[i])).Max();

        Assert.Equal([2, 1, 0], transform.ChannelOrder);
        Assert.True(gap < 1e-3, $"PalmLab's transform differs from ResNetPreprocess.onnx by up to {gap}");
    }

    [Fact]
    public void ChannelMeans_AreTheMeanImagesOwn_AsOnnxRuntimeSubtractsThem()
    {
        // A black image comes out of the preprocessing graph as minus its mean image, in the network's channel order (BGR).
        var reference = OnnxFeatures.OnnxRuntime(File.ReadAllBytes(PreprocessPath), new float[3 * 224 * 224], Shape);
        var plane = 224 * 224;
        var expected = Enumerable.Range(0, 3).Select(c => -reference.Skip(c * plane).Take(plane).Average(v => (double)v)).ToArray();

        var means = PreprocessGraph.Read(PreprocessPath).ChannelMeans();
        var shift = Backbones.ArchitectureOf(Backbones.ImageNetResNet18, null)!.Input!.Shift;

        output.WriteLine($"per-channel means (B, G, R): {string.Join(", ", means.Select(m => m.ToString("F4")))}");
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(expected[c], means[c], 1e-3);
            Assert.Equal(127.5 - expected[c], shift[c], 1e-3);
        }
        // The file's mean image averages to these (near ImageNet's 103.94, 116.78, 123.68, not equal to them).
        Assert.Equal([103.06, 115.90, 123.15], means.Select(m => Math.Round(m, 2)));
    }

    private double Compare(float[] input)
    {
        var reference = OnnxFeatures.OnnxRuntime(File.ReadAllBytes(ModelPath), input, Shape);
        using var model = OnnxResNetImporter.Read(ModelPath).Create(input: null);

        var ours = OnnxFeatures.PalmLab(model, input, [1, 3, 224, 224]);

        Assert.Equal(512, reference.Length);
        return OnnxFeatures.AssertClose(ours, reference);
    }
}
