using Onnx;
using PalmLab.Engine;
using PalmLab.Engine.Data;
using PalmLab.Engine.Inference;
using PalmLab.Engine.Models;
using PalmLab.Engine.Onnx;
using PalmLab.Engine.Training;
using PalmLab.Tests.Support;

namespace PalmLab.Tests.Engine;

/// <summary>The exported ONNX file, run by ONNX Runtime on real images, gives PalmLab's own probabilities.</summary>
public class OnnxExportTests
{
    private const double Tolerance = 1e-5;

    public static TheoryData<string> Architectures => ["resnet18-trainer", "short-end-transform", "resnet50"];

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Export_TrainedNetwork_OnnxRuntimeGivesPredictorsProbabilitiesOnRealImages(string which)
    {
        using var temp = new TempDir();
        var checkpoint = which switch
        {
            // The checkpoint as training writes it: one epoch of the quick recipe on the 400 real images at 64 px.
            "resnet18-trainer" => Trainer.Run(new TrainingConfig
            {
                TrainDir = RepoPaths.RequireRealTrainingImages(),
                Options = TrainingPresets.Quick with { Epochs = 1, Holdout = 0.2, Seed = 3 },
                Device = "cpu",
            }, temp.Sub("out")).LastCheckpoint,
            // CNTK's short-end padding of every strided layer, a third block in the last stage and a BGR input transform.
            "short-end-transform" => OnnxExportModels.Train(temp.Path, ResNetArchitecture.Standard(18) with
            {
                Blocks = [2, 2, 2, 3],
                ShortEndPadding = true,
                Input = new InputTransform([2, 1, 0], [127.5f, 127.5f, 127.5f], [20f, 10f, 0f]),
            }, 64),
            _ => OnnxExportModels.Train(temp.Path, ResNetArchitecture.Standard(50), 64),
        };
        var files = OnnxExportModels.RealImages(24);
        using var predictor = Predictor.Load(checkpoint, "cpu", threads: 2);
        var expected = predictor.Predict(files, batchSize: 8).Select(p => p.Probability!.Value).ToArray();

        var actual = OnnxExportModels.OnnxProbabilities(OnnxExporter.Export(checkpoint), files, predictor.ImageSize);

        Assert.Equal(files.Count, actual.Length);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= Tolerance, $"largest difference {worst:E2}; PalmLab [{string.Join(", ", expected.Take(6))}], ONNX [{string.Join(", ", actual.Take(6))}]");
        // The images must tell apart: a model answering one constant would match trivially.
        Assert.True(expected.Max() - expected.Min() > 1e-3, $"probabilities {expected.Min()}..{expected.Max()} hardly differ");
    }

    [Fact]
    public void Export_Checkpoint_TakesAnyBatchOfTheRunsImageSizeAndSaysWhatItExpects()
    {
        using var temp = new TempDir();
        var checkpoint = OnnxExportModels.Train(temp.Path, ResNetArchitecture.Standard(18), 32, steps: 1);

        var model = ModelProto.Parser.ParseFrom(OnnxExporter.Export(checkpoint));

        Assert.Equal(OnnxExporter.Opset, model.OpsetImport.Single(o => o.Domain == "").Version);
        var input = Assert.Single(model.Graph.Input);
        Assert.Equal(OnnxExporter.InputName, input.Name);
        Assert.Equal(["N", "3", "32", "32"], input.Type.TensorType.Shape.Dim.Select(d => d.DimParam is { Length: > 0 } p ? p : d.DimValue.ToString()));
        var output = Assert.Single(model.Graph.Output);
        Assert.Equal(OnnxExporter.OutputName, output.Name);
        Assert.Equal(["N", "1"], output.Type.TensorType.Shape.Dim.Select(d => d.DimParam is { Length: > 0 } p ? p : d.DimValue.ToString()));
        // Folded: no batch norm is left, and every convolution carries its bias.
        Assert.DoesNotContain(model.Graph.Node, n => n.OpType == "BatchNormalization");
        Assert.All(model.Graph.Node.Where(n => n.OpType == "Conv"), n => Assert.Equal(3, n.Input.Count));
        var metadata = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("32", metadata[OnnxExporter.ImageSizeKey]);
        Assert.Equal("0.4", metadata[OnnxExporter.ThresholdKey]);
        Assert.Contains("0-255", metadata[OnnxExporter.InputKey]);
        Assert.Contains("\"Depth\":18", metadata[OnnxExporter.OptionsKey]);
        Assert.False(string.IsNullOrEmpty(metadata[OnnxExporter.VersionKey]));
    }

    [Fact]
    public void Export_MissingOrDamagedCheckpoint_IsRefusedWithItsName()
    {
        using var temp = new TempDir();
        var damaged = Path.Combine(temp.Path, "damaged.ckpt");
        File.WriteAllText(damaged, "not a checkpoint");

        Assert.Contains("does not exist", Assert.Throws<PalmLabException>(() => OnnxExporter.Export(Path.Combine(temp.Path, "none.ckpt"))).Message);
        Assert.Contains("damaged.ckpt", Assert.Throws<PalmLabException>(() => OnnxExporter.Export(damaged)).Message);
    }

    [Fact]
    public void DecodePixelsInto_RealImage_IsWhatDecodeIntoMapsToMinusOneToOne()
    {
        var file = OnnxExportModels.RealImages(1)[0];
        var pixels = new byte[3 * 64 * 64];

        ImageDecoder.DecodePixelsInto(file, 64, pixels);

        Assert.Equal(ImageDecoder.Decode(file, 64), pixels.Select(p => p / 255f * 2f - 1f).ToArray());
        Assert.True(pixels.Distinct().Count() > 100);
    }
}
