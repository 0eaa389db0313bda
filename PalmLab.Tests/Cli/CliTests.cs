using System.Text.Json;
using PalmLab.Engine.Training;
using PalmLab.Tests.Engine;
using PalmLab.Tests.Support;

namespace PalmLab.Tests.Cli;

public class CliTests(TrainingFixture data) : IClassFixture<TrainingFixture>
{
    [Fact]
    public void TrainEvaluatePredict_TinyData_PrintEpochLinesJsonAndProbabilities()
    {
        var output = data.NewOutputDir();

        var train = CliProcess.Run("train", "--train-dir", data.TrainDir, "--valid-dir", data.ValidDir, "--depth", "18",
            "--image-size", "32", "--batch-size", "6", "--epochs", "2", "--seed", "3", "--device", "cpu", "--out", output);

        Assert.True(train.ExitCode == 0, train.StdErr);
        var lines = train.StdOut.Split('\n');
        Assert.StartsWith("epoch 1/2  loss ", lines[0]);
        Assert.StartsWith("epoch 2/2  loss ", lines[1]);
        Assert.Contains("auc ", lines[1]);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "summary.json")));
        var final = summary.RootElement.GetProperty("final");
        foreach (var metric in new[] { "accuracy", "auc", "sensitivity", "specificity", "precision", "f1", "confusion", "roc" })
        {
            Assert.True(final.TryGetProperty(metric, out _), $"summary lacks {metric}");
        }
        Assert.Equal(20, summary.RootElement.GetProperty("trainImages").GetInt32());
        Assert.True(summary.RootElement.GetProperty("imagesPerSecond").GetDouble() > 0);
        Assert.Equal(train.StdOut[train.StdOut.IndexOf('{')..].Trim(), File.ReadAllText(Path.Combine(output, "summary.json")).Trim());

        var checkpoint = Path.Combine(output, "best.ckpt");
        var evaluate = CliProcess.Run("evaluate", "--checkpoint", checkpoint, "--valid-dir", data.ValidDir, "--device", "cpu");
        Assert.True(evaluate.ExitCode == 0, evaluate.StdErr);
        using var metrics = JsonDocument.Parse(evaluate.StdOut);
        Assert.Equal(8, metrics.RootElement.GetProperty("images").GetInt32());
        Assert.Equal(8, metrics.RootElement.GetProperty("metrics").GetProperty("count").GetInt32());

        var predict = CliProcess.Run("predict", "--checkpoint", checkpoint, "--device", "cpu",
            Path.Combine(data.TrainDir, "P0001.jpg"), Path.Combine(data.TrainDir, "N0001.jpg"));
        Assert.True(predict.ExitCode == 0, predict.StdErr);
        var rows = predict.StdOut.Trim().Split('\n');
        Assert.Equal(["# single model, tta none" + PredictCliTests.AutoPrecision, "probability\tlabel\tfile"], rows[..2]);
        Assert.Equal(4, rows.Length);
        Assert.EndsWith("P0001.jpg", rows[2]);
    }

    [Fact]
    public void Train_ResumeFromLast_ContinuesToTheConfiguredEpochs()
    {
        var output = data.NewOutputDir();
        var first = CliProcess.Run("train", "--train-dir", data.TrainDir, "--holdout", "0.25", "--depth", "18",
            "--image-size", "32", "--batch-size", "6", "--epochs", "1", "--device", "cpu", "--out", output);
        Assert.True(first.ExitCode == 0, first.StdErr);

        var csv = Path.Combine(output, "epochs.csv");
        Assert.Equal(["epoch", "1"], File.ReadAllLines(csv).Select(l => l.Split(',')[0]));
        var otherSeed = CliProcess.Run("train", "--resume", Path.Combine(output, "last.ckpt"), "--epochs", "2", "--seed", "9");

        var resumed = CliProcess.Run("train", "--resume", Path.Combine(output, "last.ckpt"), "--epochs", "2");

        Assert.Equal(1, otherSeed.ExitCode);
        Assert.Contains("was trained with seed 0 and holdout 0.25, not seed 9 and holdout 0.25", otherSeed.StdErr);
        Assert.True(resumed.ExitCode == 0, resumed.StdErr);
        Assert.StartsWith("epoch 2/2", resumed.StdOut);
        // The resumed run adds its epoch to the file; the first run's row stays.
        Assert.Equal(["epoch", "1", "2"], File.ReadAllLines(csv).Select(l => l.Split(',')[0]));
        Assert.Equal(EpochCsv.Table.Header, File.ReadLines(csv).First());
    }

    [Fact]
    public void Train_SameDataTwice_SecondRunHitsTheCacheAndAnUnwritableCacheIsPassedOver()
    {
        string[] Args(string cache) => ["train", "--train-dir", data.TrainDir, "--holdout", "0.25", "--depth", "18", "--image-size", "32",
            "--batch-size", "6", "--epochs", "1", "--device", "cpu", "--out", data.NewOutputDir(), "--cache", cache];
        var cache = Path.Combine(data.NewOutputDir(), "cache");

        var first = CliProcess.Run(Args(cache));
        var second = CliProcess.Run(Args(cache));
        var unwritable = CliProcess.Run(Args("/proc/palmlab-cache"));

        Assert.True(first.ExitCode == 0, first.StdErr);
        Assert.Matches(@"data loading: \d+\.\d\ds \(cache miss\)", first.StdErr);
        Assert.Matches(@"data loading: \d+\.\d\ds \(cache hit\)", second.StdErr);
        Assert.Equal(first.StdOut.Split('\n')[0][..24], second.StdOut.Split('\n')[0][..24]);
        Assert.True(unwritable.ExitCode == 0, unwritable.StdErr);
        Assert.Contains("note: cache folder /proc/palmlab-cache cannot be written", unwritable.StdErr);
        Assert.Contains("(no cache)", unwritable.StdErr);
    }

    [Theory]
    [InlineData("does not exist", "train", "--train-dir", "/no/such/dir", "--out", "/tmp/palmlab-never")]
    [InlineData("--image-size: must be from 32 to 1,024 pixels, not 0", "train", "--train-dir", "/tmp", "--image-size", "0", "--out", "/tmp/palmlab-never")]
    [InlineData("--batch-size: must be from 2 to 1,024, not 0", "train", "--train-dir", "/tmp", "--batch-size", "0", "--out", "/tmp/palmlab-never")]
    [InlineData("Checkpoint /no/model.ckpt does not exist", "predict", "--checkpoint", "/no/model.ckpt", "/tmp")]
    [InlineData("Unrecognized command or argument", "train", "--epochz", "3")]
    [InlineData("--epochs: must be a whole number, not 'ten'", "train", "--train-dir", "/tmp", "--epochs", "ten", "--out", "/tmp/palmlab-never")]
    [InlineData("--epochs: must be from 1 to 1,000, not 2147483647", "train", "--train-dir", "/tmp", "--epochs", "2147483647", "--out", "/tmp/palmlab-never")]
    [InlineData("--schedule: must be one of constant, polynomial, cosine, step, not 'cosmic'", "train", "--train-dir", "/tmp", "--schedule", "cosmic", "--out", "/tmp/palmlab-never")]
    [InlineData("--lr: must be above 0 and at most 10, not 50", "train", "--train-dir", "/tmp", "--lr", "50", "--out", "/tmp/palmlab-never")]
    [InlineData("--preset: 'fastest' is not one of reference, quick, best, deeper, pretrained", "train", "--train-dir", "/tmp", "--preset", "fastest", "--out", "/tmp/palmlab-never")]
    [InlineData("--out FOLDER is required", "generate-demo", "--size", "96")]
    [InlineData("size: must be between 64 and 4096 pixels, not 10", "generate-demo", "--out", "/tmp/palmlab-never", "--size", "10")]
    [InlineData("train-count: must be between 1 and 9999, not 0", "generate-demo", "--out", "/tmp/palmlab-never", "--train-count", "0")]
    public void BadInput_ExitsNonZeroWithAOneLineReason(string expected, params string[] args)
    {
        var result = CliProcess.Run(args);

        Assert.NotEqual(0, result.ExitCode);
        var firstLine = result.StdErr.Split('\n')[0];
        Assert.StartsWith("error: ", firstLine);
        Assert.Contains(expected, firstLine);
    }

    [Fact]
    public void GenerateDemo_SmallCounts_WritesTheOfficialLayoutAndSaysWhatItWrote()
    {
        var output = data.NewOutputDir();

        var result = CliProcess.Run("generate-demo", "--out", output, "--train-count", "20", "--valid-count", "10", "--size", "96", "--seed", "4");

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains("generated 30/30 images", result.StdErr);
        Assert.StartsWith("wrote 8 N + 1 H + 11 P training images", result.StdOut);
        Assert.Contains("10 validation images (5 pathologic)", result.StdOut);
        Assert.Matches(@"in \d+\.\d s\s*$", result.StdOut);
        Assert.Equal(20, Directory.GetFiles(Path.Combine(output, "PALM-Training400"), "*.jpg").Length);
        Assert.Equal(10, Directory.GetFiles(Path.Combine(output, "PALM-Validation400"), "*.jpg").Length);
        Assert.True(File.Exists(Path.Combine(output, "PALM-Validation-GT", "PM_Label_and_Fovea_Location.xlsx")));
        Assert.True(File.Exists(Path.Combine(output, "PALM-Validation-GT", "labels.csv")));
    }

    [Fact]
    public void Train_NoOutFolder_SaysOutIsRequired()
    {
        var result = CliProcess.Run("train", "--train-dir", data.TrainDir);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--out FOLDER is required", result.StdErr);
    }
}
