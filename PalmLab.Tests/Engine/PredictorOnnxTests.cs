using PalmLab.Engine.Inference;
using PalmLab.Engine.Models;
using PalmLab.Tests.Support;

namespace PalmLab.Tests.Engine;

/// <summary>An upload predicted through ONNX Runtime (<see cref="Predictor.UseOnnxRuntime"/>) gets TorchSharp's probability.</summary>
public class PredictorOnnxTests
{
    [Theory]
    [InlineData(1, TestTimeAugmentation.None)]
    [InlineData(1, TestTimeAugmentation.Flip)]
    [InlineData(2, TestTimeAugmentation.Flip)]
    public void Predict_UploadThroughOnnxRuntime_EqualsTorchSharpTo1e5OnRealImages(int members, TestTimeAugmentation tta)
    {
        using var temp = new TempDir();
        var architecture = ResNetArchitecture.Standard(18) with { Input = new InputTransform([2, 1, 0], [127.5f, 100f, 127.5f], [20f, 10f, 0f]) };
        var checkpoints = Enumerable.Range(0, members).Select(seed => OnnxExportModels.Train(temp.Path, architecture, 32, steps: 2, seed: seed)).ToList();
        var files = OnnxExportModels.RealImages(8, skip: 3);
        using var torch = Predictor.Load(checkpoints, "cpu", threads: 2);
        using var onnx = Predictor.Load(checkpoints, "cpu", threads: 2);

        Assert.True(onnx.UseOnnxRuntime(threads: 2));

        Assert.True(onnx.UsesOnnxRuntime);
        Assert.False(torch.UsesOnnxRuntime);
        var expected = files.Select(f => torch.Predict(File.ReadAllBytes(f), Path.GetFileName(f), tta).Probability!.Value).ToArray();
        var actual = files.Select(f => onnx.Predict(File.ReadAllBytes(f), Path.GetFileName(f), tta).Probability!.Value).ToArray();
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= 1e-5, $"largest difference {worst:E2}");
        Assert.True(expected.Max() - expected.Min() > 1e-3, $"probabilities {expected.Min()}..{expected.Max()} hardly differ");
        // Flip must average the mirror: an image and its mirror differ, so the plain and flipped answers do too.
        if (tta == TestTimeAugmentation.Flip)
        {
            var plain = files.Select(f => onnx.Predict(File.ReadAllBytes(f), "x.jpg").Probability!.Value).ToArray();
            Assert.NotEqual(plain, actual);
        }
    }
}
