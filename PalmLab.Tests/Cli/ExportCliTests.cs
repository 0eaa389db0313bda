using PalmLab.Engine.Inference;
using PalmLab.Tests.Support;

namespace PalmLab.Tests.Cli;

[Collection(CheckpointCollection.Name)]
public class ExportCliTests(CheckpointFixture trained)
{
    [Fact]
    public void Export_TrainedCheckpoint_WritesAFileOnnxRuntimeRunsToThePredictorsProbabilities()
    {
        using var temp = new TempDir();
        var onnx = Path.Combine(temp.Path, "sub", "model.onnx");

        var result = CliProcess.Run("export", "--checkpoint", trained.Checkpoint, "--onnx", onnx);

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains($"Wrote {onnx}", result.StdOut);
        Assert.Contains("0-255", result.StdOut);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(onnx)!, "*.tmp", new EnumerationOptions { AttributesToSkip = 0 }));
        var images = Directory.GetFiles(trained.Data.ValidDir, "*.jpg").Order(StringComparer.Ordinal).ToList();
        using var predictor = Predictor.Load(trained.Checkpoint, "cpu");
        var expected = predictor.Predict(images).Select(p => p.Probability!.Value).ToArray();
        var actual = OnnxExportModels.OnnxProbabilities(File.ReadAllBytes(onnx), images, predictor.ImageSize);
        Assert.All(expected.Zip(actual), pair => Assert.InRange(pair.Second, pair.First - 1e-5f, pair.First + 1e-5f));
    }

    [Fact]
    public void Export_MissingOrDamagedCheckpoint_ExitsOneNamingIt()
    {
        using var temp = new TempDir();
        var damaged = temp.File("damaged.ckpt");
        File.WriteAllText(damaged, "PALMLAB? no");
        var onnx = Path.Combine(temp.Path, "model.onnx");

        CliAssert.FailsWithOneLine(CliProcess.Run("export", "--checkpoint", "/no/such/model.ckpt", "--onnx", onnx), 1, "Checkpoint /no/such/model.ckpt does not exist");
        CliAssert.FailsWithOneLine(CliProcess.Run("export", "--checkpoint", damaged, "--onnx", onnx), 1, damaged, "not a PalmLab checkpoint");
        Assert.False(File.Exists(onnx));
    }

    [Fact]
    public void Export_UnwritableOutput_ExitsOneSayingWhyAndLeavesNoFile()
    {
        using var temp = new TempDir();
        var blocker = temp.File("a-file");
        File.WriteAllText(blocker, "in the way");

        CliAssert.FailsWithOneLine(CliProcess.Run("export", "--checkpoint", trained.Checkpoint, "--onnx", Path.Combine(blocker, "model.onnx")), 1, "Cannot write", "model.onnx");
        CliAssert.FailsWithOneLine(CliProcess.Run("export", "--checkpoint", trained.Checkpoint, "--onnx", temp.Path), 1, "is a folder");
        Assert.Equal([blocker], Directory.GetFiles(temp.Path));
    }
}
