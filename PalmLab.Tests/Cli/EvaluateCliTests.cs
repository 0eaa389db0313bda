using System.Text;
using System.Text.Json;
using PalmLab.Tests.Support;

namespace PalmLab.Tests.Cli;

[Collection(CheckpointCollection.Name)]
public class EvaluateCliTests(CheckpointFixture trained)
{
    [Fact]
    public void Evaluate_MissingCheckpoint_ExitsOneNamingTheFile()
    {
        var result = CliProcess.Run("evaluate", "--checkpoint", "/no/such/model.ckpt", "--valid-dir", trained.Data.ValidDir, "--device", "cpu");

        CliAssert.FailsWithOneLine(result, 1, "Checkpoint /no/such/model.ckpt does not exist");
    }

    [Fact]
    public void Evaluate_TextFileAsCheckpoint_ExitsOneSayingItIsNotACheckpoint()
    {
        using var temp = new TempDir();
        var fake = temp.File("model.ckpt");
        File.WriteAllText(fake, "these are not the weights you are looking for");

        var result = CliProcess.Run("evaluate", "--checkpoint", fake, "--valid-dir", trained.Data.ValidDir, "--device", "cpu");

        CliAssert.FailsWithOneLine(result, 1, fake, "not a PalmLab checkpoint");
    }

    [Fact]
    public void Evaluate_TruncatedCheckpoint_ExitsOneSayingItIsDamaged()
    {
        using var temp = new TempDir();
        var truncated = temp.File("half.ckpt");
        var bytes = File.ReadAllBytes(trained.Checkpoint);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);

        var result = CliProcess.Run("evaluate", "--checkpoint", truncated, "--valid-dir", trained.Data.ValidDir, "--device", "cpu");

        CliAssert.FailsWithOneLine(result, 1, truncated, "damaged or not a PalmLab checkpoint");
    }

    [Fact]
    public void Evaluate_ValidationFolderWithoutLabels_ExitsOneNamingTheFolderAndTheLabelsOption()
    {
        using var temp = new TempDir();
        var folder = temp.Sub("valid");
        TestImages.WriteValidationFolder(folder, 2);
        File.Delete(Path.Combine(folder, "labels.csv"));

        var result = CliProcess.Run("evaluate", "--checkpoint", trained.Checkpoint, "--valid-dir", folder, "--device", "cpu");

        CliAssert.FailsWithOneLine(result, 1, $"No labels for {folder}", "--labels");
    }

    [Fact]
    public void Evaluate_ValidationFolderMissing_ExitsOneNamingTheFolder()
    {
        var result = CliProcess.Run("evaluate", "--checkpoint", trained.Checkpoint, "--valid-dir", "/no/such/valid", "--device", "cpu");

        CliAssert.FailsWithOneLine(result, 1, "/no/such/valid does not exist");
    }

    [Fact]
    public void Evaluate_NoValidDir_ExitsTwoNamingTheOption()
    {
        var result = CliProcess.Run("evaluate", "--checkpoint", trained.Checkpoint, "--device", "cpu");

        CliAssert.FailsWithOneLine(result, 2, "--valid-dir");
    }

    [Fact]
    public void Evaluate_LabelsSavedByAEuropeanExcel_ScoresEveryImage()
    {
        using var temp = new TempDir();
        var folder = temp.Sub("valid");
        var labels = TestImages.WriteValidationFolder(folder, 4);
        var lines = labels.Select((kv, i) => $"{i + 1};{kv.Key};{kv.Value};1234,56;987,65").Prepend("ID;imgName;Label;Fovea_X;Fovea_Y");
        File.WriteAllText(Path.Combine(folder, "labels.csv"), string.Concat(lines.Select(l => l + "\r\n")), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        var result = CliProcess.Run("evaluate", "--checkpoint", trained.Checkpoint, "--valid-dir", folder, "--device", "cpu");

        Assert.True(result.ExitCode == 0, result.StdErr);
        using var json = JsonDocument.Parse(result.StdOut);
        Assert.Equal(4, json.RootElement.GetProperty("images").GetInt32());
    }
}
