using System.Text.Json;
using PalmLab.Engine.Models;
using PalmLab.Engine.Runtime;
using PalmLab.Tests.Support;

namespace PalmLab.Tests.Cli;

[Collection(CheckpointCollection.Name)]
public class PredictCliTests(CheckpointFixture trained)
{
    // The first line says which model answered, and in what precision (auto: bf16 checked in fp32 near the threshold where
    // the processor has bfloat16 instructions), the second names the columns.
    private static readonly string[] Header = ["# single model, tta none" + AutoPrecision, "probability\tlabel\tfile"];

    /// <summary>What the first line ends with when --precision is left at auto on this machine's CPU.</summary>
    internal static string AutoPrecision => TorchRuntime.FastestCpuPrecision == Precision.Bf16 ? ", bf16 (fp32 near the threshold)" : ", fp32";

    private string GoodImage => Path.Combine(trained.Data.ValidDir, "V0001.jpg");

    [Fact]
    public void Predict_MissingCheckpoint_ExitsOneNamingTheFile()
    {
        var result = CliProcess.Run("predict", "--checkpoint", "/no/such/model.ckpt", "--device", "cpu", GoodImage);

        CliAssert.FailsWithOneLine(result, 1, "Checkpoint /no/such/model.ckpt does not exist");
        Assert.Equal("", result.StdOut);
    }

    [Theory]
    [InlineData("broken.jpg")]
    [InlineData("notes.txt")]
    [InlineData("truncated.jpg")]
    public void Predict_GoodImageAndUnreadableFile_PrintsTheGoodRowAndExitsOneNamingTheBadFile(string badName)
    {
        using var temp = new TempDir();
        var bad = temp.File(badName);
        if (badName == "truncated.jpg")
        {
            var jpeg = File.ReadAllBytes(GoodImage);
            File.WriteAllBytes(bad, jpeg[..(jpeg.Length / 2)]);
        }
        else
        {
            File.WriteAllText(bad, "not an image");
        }

        var result = CliProcess.Run("predict", "--checkpoint", trained.Checkpoint, "--device", "cpu", bad, GoodImage);

        CliAssert.FailsWithOneLine(result, 1, bad);
        var rows = result.StdOut.Trim().Split('\n');
        Assert.Equal(Header, rows[..2]);
        Assert.EndsWith("\t" + GoodImage, Assert.Single(rows[2..]));
    }

    [Fact]
    public void Predict_GoodImageAndMissingFile_PrintsTheGoodRowAndExitsOneNamingTheMissingFile()
    {
        var result = CliProcess.Run("predict", "--checkpoint", trained.Checkpoint, "--device", "cpu", "/no/such/image.jpg", GoodImage);

        CliAssert.FailsWithOneLine(result, 1, "/no/such/image.jpg is neither a file nor a folder");
        Assert.EndsWith("\t" + GoodImage, Assert.Single(result.StdOut.Trim().Split('\n')[2..]));
    }

    [Fact]
    public void Predict_GoodImageAndUnreadableFileAsJson_GivesEachItsEntryInInputOrder()
    {
        using var temp = new TempDir();
        var bad = temp.File("broken.png");
        File.WriteAllText(bad, "not an image");

        var result = CliProcess.Run("predict", "--checkpoint", trained.Checkpoint, "--device", "cpu", "--json", "/no/such/image.jpg", bad, GoodImage);

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.StdOut);
        Assert.Equal("single model, tta none", json.RootElement.GetProperty("model").GetString());
        var entries = json.RootElement.GetProperty("predictions").EnumerateArray().ToList();
        Assert.Equal(["/no/such/image.jpg", bad, GoodImage], entries.Select(e => e.GetProperty("path").GetString()));
        Assert.Contains("/no/such/image.jpg", entries[0].GetProperty("error").GetString());
        Assert.Contains(bad, entries[1].GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, entries[2].GetProperty("error").ValueKind);
        Assert.InRange(entries[2].GetProperty("probability").GetDouble(), 0, 1);
    }

    [Fact]
    public void Predict_FolderOfImages_PrintsARowPerImageAndExitsZero()
    {
        var result = CliProcess.Run("predict", "--checkpoint", trained.Checkpoint, "--device", "cpu", trained.Data.ValidDir);

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Equal("", result.StdErr);
        var rows = result.StdOut.Trim().Split('\n');
        Assert.Equal(Header, rows[..2]);
        Assert.Equal(Enumerable.Range(1, 8).Select(i => Path.Combine(trained.Data.ValidDir, $"V{i:D4}.jpg")), rows[2..].Select(r => r.Split('\t')[2]));
        Assert.All(rows[2..], r => Assert.Matches(@"^[01]\.\d{4}\t[01]\t", r));
    }

    [Fact]
    public void Predict_Fp32AndBf16_SaySoAndGiveTheSameLabels()
    {
        var fp32 = CliProcess.Run("predict", "--checkpoint", trained.Checkpoint, "--device", "cpu", "--json", "--precision", "fp32", trained.Data.ValidDir);
        var bf16 = CliProcess.Run("predict", "--checkpoint", trained.Checkpoint, "--device", "cpu", "--json", "--precision", "bf16", trained.Data.ValidDir);

        Assert.True(fp32.ExitCode == 0, fp32.StdErr);
        Assert.True(bf16.ExitCode == 0, bf16.StdErr);
        using var exact = JsonDocument.Parse(fp32.StdOut);
        using var fast = JsonDocument.Parse(bf16.StdOut);
        Assert.Equal("fp32", exact.RootElement.GetProperty("precision").GetString());
        Assert.Equal("bf16-checked", fast.RootElement.GetProperty("precision").GetString());
        static IEnumerable<int> Labels(JsonDocument json) => json.RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("label").GetInt32());
        Assert.Equal(8, Labels(exact).Count());
        Assert.Equal(Labels(exact), Labels(fast));
    }

    [Fact]
    public void Predict_UnknownPrecision_ExitsTwoNamingTheChoices()
    {
        var result = CliProcess.Run("predict", "--checkpoint", trained.Checkpoint, "--device", "cpu", "--precision", "fp16", GoodImage);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("fp16", result.StdErr);
        Assert.Contains("bf16", result.StdErr);
        Assert.Equal("", result.StdOut);
    }

    [Fact]
    public void Predict_EmptyFolder_ExitsOneSayingItHasNoImages()
    {
        using var temp = new TempDir();
        var empty = temp.Sub("empty");

        var result = CliProcess.Run("predict", "--checkpoint", trained.Checkpoint, "--device", "cpu", empty);

        CliAssert.FailsWithOneLine(result, 1, $"No images in {empty}");
    }

    [Fact]
    public void Predict_NoFilesGiven_ExitsTwoWithAUsageError()
    {
        var result = CliProcess.Run("predict", "--checkpoint", trained.Checkpoint, "--device", "cpu");

        CliAssert.FailsWithOneLine(result, 2, "Required argument missing for command: 'predict'");
        Assert.Equal("", result.StdOut);
    }
}
