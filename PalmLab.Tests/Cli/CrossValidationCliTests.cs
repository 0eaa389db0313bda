using System.Text.Json;
using PalmLab.Tests.Engine;
using PalmLab.Tests.Support;

namespace PalmLab.Tests.Cli;

public class CrossValidationCliTests(TrainingFixture data) : IClassFixture<TrainingFixture>
{
    [Fact]
    public void TrainFolds2_TinyData_TrainsEachFoldIntoItsFolderAndPrintsMeanAndStd()
    {
        var output = data.NewOutputDir();

        var train = CliProcess.Run("train", "--train-dir", data.TrainDir, "--folds", "2", "--depth", "18",
            "--image-size", "32", "--batch-size", "5", "--epochs", "1", "--seed", "3", "--device", "cpu", "--out", output);

        Assert.True(train.ExitCode == 0, train.StdErr);
        Assert.Contains("fold 1/2  epoch 1/1  loss ", train.StdOut);
        Assert.Contains("fold 2/2  epoch 1/1  loss ", train.StdOut);
        Assert.Matches(@"2-fold cross-validation: accuracy \d\.\d{3} ± \d\.\d{3}, AUC \d\.\d{3} ± \d\.\d{3}, .*\(mean ± std over folds\)", train.StdOut);
        foreach (var fold in new[] { "fold-1", "fold-2" })
        {
            Assert.True(File.Exists(Path.Combine(output, fold, "last.ckpt")), $"{fold}/last.ckpt missing");
            Assert.True(File.Exists(Path.Combine(output, fold, "best.ckpt")), $"{fold}/best.ckpt missing");
            Assert.Equal(2, File.ReadAllLines(Path.Combine(output, fold, "epochs.csv")).Length);
        }
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "cv-summary.json")));
        var folds = summary.RootElement.GetProperty("foldResults").EnumerateArray().ToList();
        // The fixture has 10 images of each class: each fold validates on 5 of each and trains on the other 10.
        Assert.All(folds, f => Assert.Equal(10, f.GetProperty("validationImages").GetInt32()));
        var accuracies = folds.Select(f => f.GetProperty("final").GetProperty("accuracy").GetDouble()).ToArray();
        var mean = accuracies.Average();
        var std = Math.Sqrt(accuracies.Sum(a => (a - mean) * (a - mean)) / (accuracies.Length - 1));
        var final = summary.RootElement.GetProperty("final").GetProperty("accuracy");
        Assert.Equal(mean, final.GetProperty("mean").GetDouble(), 9);
        Assert.Equal(std, final.GetProperty("std").GetDouble(), 9);
    }

    [Fact]
    public void TrainFolds_RunAgainOnItsFolder_KeepsFinishedFoldsTrainsTheRestAndRefusesOtherOptions()
    {
        var output = data.NewOutputDir();
        string[] command = ["train", "--train-dir", data.TrainDir, "--folds", "2", "--depth", "18", "--image-size", "32", "--batch-size", "5",
            "--epochs", "2", "--seed", "3", "--device", "cpu", "--out", output];
        Assert.Equal(0, CliProcess.Run(command).ExitCode);
        var fold1 = Path.Combine(output, "fold-1", "last.ckpt");
        var written = File.GetLastWriteTimeUtc(fold1);
        Directory.Delete(Path.Combine(output, "fold-2"), recursive: true);

        var again = CliProcess.Run(command);

        Assert.True(again.ExitCode == 0, again.StdErr);
        Assert.Contains("fold 1/2  finished earlier: kept", again.StdErr);
        Assert.DoesNotContain("fold 1/2  epoch", again.StdOut);
        Assert.Contains("fold 2/2  epoch 2/2  loss ", again.StdOut);
        Assert.Equal(written, File.GetLastWriteTimeUtc(fold1));
        // The summary's mean is over fold 1 as read back and fold 2 as trained now.
        var accuracies = new[] { "fold-1", "fold-2" }
            .Select(f => double.Parse(File.ReadAllLines(Path.Combine(output, f, "epochs.csv"))[^1].Split(',')[3], System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "cv-summary.json")));
        Assert.Equal(accuracies.Average(), summary.RootElement.GetProperty("final").GetProperty("accuracy").GetProperty("mean").GetDouble(), 9);
        // The kept fold's sizes come from the same split as a trained one's: 10 validated, 10 trained on.
        var kept = summary.RootElement.GetProperty("foldResults")[0];
        Assert.Equal((10, 10), (kept.GetProperty("trainImages").GetInt32(), kept.GetProperty("validationImages").GetInt32()));

        var other = CliProcess.Run([.. command[..^2], "--lr", "0.001", "--out", output]);

        Assert.NotEqual(0, other.ExitCode);
        Assert.Contains("--out: ", other.StdErr);
        Assert.Contains("holds fold 1 of another training", other.StdErr);
    }

    [Theory]
    [InlineData("--folds: must be from 2 to 10, not 11", "--folds", "11")]
    [InlineData("--folds: cross-validation validates on the training images' own folds: give no holdout", "--folds", "2", "--holdout", "0.2")]
    [InlineData("--folds: cross-validation validates on the training images' own folds: give no validation folder", "--folds", "2", "--valid-dir", "/tmp")]
    public void TrainFolds_BadInput_ExitsNonZeroWithAOneLineReason(string expected, params string[] args)
    {
        var result = CliProcess.Run(["train", "--train-dir", data.TrainDir, "--depth", "18", "--image-size", "32", "--device", "cpu", "--out", data.NewOutputDir(), .. args]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expected, result.StdErr);
        Assert.DoesNotContain("   at ", result.StdErr);
    }
}
