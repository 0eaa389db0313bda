using PalmLab.Engine;
using PalmLab.Engine.Onnx;
using Xunit.Abstractions;

namespace PalmLab.Tests.Engine.Onnx;

/// <summary>ResNets as torch.onnx.export writes torchvision's, built by the tests, imported and checked against ONNX Runtime.</summary>
public class TorchvisionImportTests(ITestOutputHelper output)
{
    private static readonly int[] Shape = [2, 3, 64, 64];

    [Theory]
    [InlineData(18)]
    [InlineData(34)]
    [InlineData(50)]
    public void Features_OfAnEvaluationModeExport_EqualOnnxRuntimes(int depth)
    {
        var file = TorchvisionOnnx.Build(depth, seed: depth);

        var imported = OnnxResNetImporter.Read(file, $"resnet{depth}.onnx");

        Assert.Equal(depth, imported.Architecture.Depth);
        Assert.Equal(depth >= 50, imported.Architecture.Bottleneck);
        Assert.False(imported.Architecture.ShortEndPadding);
        Assert.Equal(depth == 18 ? [2, 2, 2, 2] : [3, 4, 6, 3], imported.Architecture.Blocks);
        output.WriteLine($"ResNet-{depth}: max |PalmLab - ORT| / max |ORT| = {Compare(file, imported, seed: depth):E2}");
    }

    [Fact]
    public void Features_OfATrainingModeExportWithBatchNormsOfAnotherEpsilon_EqualOnnxRuntimes()
    {
        var file = TorchvisionOnnx.Build(18, seed: 3, b => b with { BatchNormEpsilon = 1e-3f });

        var imported = OnnxResNetImporter.Read(file, "resnet18-bn.onnx");

        output.WriteLine($"ResNet-18 with batch norms (ε 1e-3): max |PalmLab - ORT| / max |ORT| = {Compare(file, imported, seed: 3):E2}");
    }

    [Fact]
    public void Refuses_AnOpAResNetDoesNotHave_NamingTheNode()
    {
        var file = TorchvisionOnnx.Build(18, seed: 1, b => b with { FirstBlockActivation = "Sigmoid" });

        var error = Assert.Throws<PalmLabException>(() => OnnxResNetImporter.Read(file, "odd.onnx"));

        Assert.Matches(@"^Cannot import odd\.onnx: node '/Sigmoid_\d+' is a Sigmoid, which a ResNet does not have\.$", error.Message);
    }

    [Fact]
    public void Refuses_ThreeStages()
    {
        var file = TorchvisionOnnx.Build(18, seed: 1, b => b with { Blocks = [2, 2, 2] });

        var error = Assert.Throws<PalmLabException>(() => OnnxResNetImporter.Read(file, "short.onnx"));

        Assert.Equal("Cannot import short.onnx: expected 4 stages, found 3 (blocks per stage: 2, 2, 2).", error.Message);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("empty")]
    public void Refuses_AFileThatIsNotOnnx(string kind)
    {
        byte[] bytes = kind == "empty" ? [] : "{\"model\": \"resnet18\"}\n"u8.ToArray();

        var error = Assert.Throws<PalmLabException>(() => OnnxResNetImporter.Read(bytes, "model.onnx"));

        Assert.StartsWith("Cannot import model.onnx: it is not an ONNX model", error.Message);
    }

    private static double Compare(byte[] file, ImportedResNet imported, int seed)
    {
        var input = OnnxFeatures.Random(Shape.Aggregate(1, (n, d) => n * d), seed, -2f, 2f);
        var reference = OnnxFeatures.OnnxRuntime(file, input, Shape, TorchvisionOnnx.Features);
        using var model = imported.Create(input: null);

        var ours = OnnxFeatures.PalmLab(model, input, [.. Shape.Select(d => (long)d)]);

        return OnnxFeatures.AssertClose(ours, reference);
    }
}
