using System.Diagnostics;
using System.Text;
using System.Text.Json;
using PalmLab.Tests.Engine;
using PalmLab.Tests.Support;

namespace PalmLab.Tests.Cli;

public class SweepCliTests(TrainingFixture data) : IClassFixture<TrainingFixture>
{
    private const string TinyBase = "\"depth\": 18, \"imageSize\": 32, \"batchSize\": 6, \"seed\": 3";

    [Fact]
    public void Sweep_TwoTrialsOnTinyData_PrintsEachTrialARankedTableAndTheBestAsATrainCommand()
    {
        var output = data.NewOutputDir();
        var space = SpaceFile("""{"space": {"learningRate": [0.01, 0.002]}, "medianStopping": false, "base": {""" + TinyBase + """, "epochs": 2}}""");

        var sweep = CliProcess.Run("sweep", "--space", space, "--train-dir", data.TrainDir, "--valid-dir", data.ValidDir, "--device", "cpu", "--out", output);

        Assert.True(sweep.ExitCode == 0, sweep.StdErr);
        Assert.Contains("trial 1/2  epoch 2/2  loss ", sweep.StdOut);
        Assert.Matches(@"(?m)^trial 1/2  learningRate=0\.01  auc \d\.\d{3}  completed$", sweep.StdOut);
        Assert.Matches(@"(?m)^trial 2/2  learningRate=0\.002  auc \d\.\d{3}  completed$", sweep.StdOut);
        Assert.Matches(@"(?m)^rank  trial  auc +status +seconds  learningRate$", sweep.StdOut);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "sweep.json")));
        var trials = json.RootElement.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(2, trials.Count);
        Assert.False(json.RootElement.GetProperty("cancelled").GetBoolean());
        var finals = new List<double>();
        foreach (var trial in trials)
        {
            var folder = Path.Combine(output, trial.GetProperty("folder").GetString()!);
            Assert.Equal("completed", trial.GetProperty("status").GetString());
            Assert.True(File.Exists(Path.Combine(folder, "last.ckpt")), $"{folder}/last.ckpt missing");
            // The trial's metric is its last epoch's validation AUC, as epochs.csv has it.
            var csv = File.ReadAllLines(Path.Combine(folder, "epochs.csv"));
            Assert.Equal(3, csv.Length);
            var auc = double.Parse(csv[2].Split(',')[Array.IndexOf(csv[0].Split(','), "auc")], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(auc, trial.GetProperty("metric").GetProperty("mean").GetDouble(), 5);
            Assert.Equal(2, trial.GetProperty("epochs").GetArrayLength());
            finals.Add(auc);
        }
        Assert.Equal(0.002, trials[1].GetProperty("options").GetProperty("learningRate").GetDouble());
        var best = json.RootElement.GetProperty("bestTrial").GetInt32();
        Assert.Equal(finals[best - 1], finals.Max(), 9);
        // Epoch lines end with "*best" too; table rows start with their rank.
        var bestRow = sweep.StdOut.Split('\n').Single(l => l.EndsWith("*best", StringComparison.Ordinal) && !l.StartsWith("trial ", StringComparison.Ordinal));
        Assert.Matches($@"^\s+1\s+{best}\s", bestRow);

        // The printed command line trains the best trial's recipe again.
        var line = sweep.StdOut.Split('\n').Single(l => l.StartsWith("palmlab train ", StringComparison.Ordinal));
        Assert.Contains(best == 1 ? "--lr 0.01 " : "--lr 0.002 ", line);
        var args = line["palmlab ".Length..].Split(' ').Select(a => a == Path.Combine(output, "best") ? data.NewOutputDir() : a).ToArray();
        var again = CliProcess.Run([.. args, "--device", "cpu"]);
        Assert.True(again.ExitCode == 0, again.StdErr);
        using var summary = JsonDocument.Parse(again.StdOut[again.StdOut.IndexOf('{')..]);
        var trained = summary.RootElement.GetProperty("config").GetProperty("options");
        var sweptOptions = trials[best - 1].GetProperty("options");
        foreach (var option in sweptOptions.EnumerateObject())
        {
            Assert.Equal(option.Value.ToString(), trained.GetProperty(option.Name).ToString());
        }
    }

    [Fact]
    public void Sweep_CrossValidatedBase_RanksByTheMeanOverFoldsWithItsStd()
    {
        var output = data.NewOutputDir();
        var space = SpaceFile("""{"space": {"augmentFlip": [true, false]}, "base": {""" + TinyBase + """, "epochs": 1, "batchSize": 5, "folds": 2}}""");

        var sweep = CliProcess.Run("sweep", "--space", space, "--train-dir", data.TrainDir, "--device", "cpu", "--out", output);

        Assert.True(sweep.ExitCode == 0, sweep.StdErr);
        Assert.Contains("trial 2/2  fold 2/2  epoch 1/1  loss ", sweep.StdOut);
        Assert.Matches(@"(?m)^trial 1/2  augmentFlip=true  auc \d\.\d{3} ± \d\.\d{3}  completed$", sweep.StdOut);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "sweep.json")));
        foreach (var trial in json.RootElement.GetProperty("trials").EnumerateArray())
        {
            var folder = Path.Combine(output, trial.GetProperty("folder").GetString()!);
            var aucs = new[] { 1, 2 }.Select(fold =>
            {
                var csv = File.ReadAllLines(Path.Combine(folder, $"fold-{fold}", "epochs.csv"));
                return double.Parse(csv[1].Split(',')[Array.IndexOf(csv[0].Split(','), "auc")], System.Globalization.CultureInfo.InvariantCulture);
            }).ToArray();
            var metric = trial.GetProperty("metric");
            Assert.Equal(aucs.Average(), metric.GetProperty("mean").GetDouble(), 5);
            Assert.Equal(Math.Abs(aucs[0] - aucs[1]) / Math.Sqrt(2), metric.GetProperty("std").GetDouble(), 5);
            Assert.Equal([1, 2], trial.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("fold").GetInt32()));
        }
    }

    [Fact]
    public async Task Sweep_CtrlC_CancelsTheRunningTrialAndKeepsTheFinishedOne()
    {
        var output = data.NewOutputDir();
        var space = SpaceFile("""{"space": {"epochs": [1, 500]}, "base": {""" + TinyBase + "}}");
        // A test run started in the background (nohup, or `&` in a script) inherits SIGINT ignored, and .NET then keeps
        // ignoring it: env resets it to the default in the child, so Ctrl-C reaches palmlab however the tests were started.
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["XDG_CACHE_HOME"] = Path.Combine(Path.GetTempPath(), "palmlab-tests", "xdg-cache");
        foreach (var arg in new[] { "--default-signal=INT", "dotnet", Path.Combine(AppContext.BaseDirectory, "palmlab.dll"), "sweep", "--space", space, "--train-dir", data.TrainDir,
            "--valid-dir", data.ValidDir, "--device", "cpu", "--out", output })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (stdout) { stdout.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            // Trial 2 (500 epochs) has trained an epoch: it is running, and trial 1 is finished.
            await Wait.UntilAsync(() => { lock (stdout) { return stdout.ToString().Contains("trial 2/2  epoch 1/500"); } },
                "trial 2 never finished its first epoch", TimeSpan.FromMinutes(3));
            using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }
            // Ctrl-C stops at the next batch, but on a starved machine (CI with both cores taken) the batch, the folder it
            // writes and the exit can take far more than a minute: the deadline is for a hang, not for speed.
            var exited = await Task.Run(() => process.WaitForExit(TimeSpan.FromMinutes(5)));
            string Tail(StringBuilder output) { lock (output) { return string.Join(" | ", output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(5)); } }
            Assert.True(exited, $"palmlab sweep did not end within 5 min of Ctrl-C; its last output: {Tail(stdout)}; stderr: {Tail(stderr)}");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        process.WaitForExit();

        Assert.True(process.ExitCode == 130, $"exit code {process.ExitCode}; stderr: {stderr}");
        Assert.Matches(@"(?m)^trial 1/2  epochs=1  auc \d\.\d{3}  completed\s*$", stdout.ToString());
        Assert.Matches(@"(?m)^trial 2/2  epochs=500  auc \d\.\d{3}  cancelled\s*$", stdout.ToString());
        Assert.Contains("cancelled: 1 of 2 trial(s) finished and are kept", stderr.ToString());
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "sweep.json")));
        Assert.True(json.RootElement.GetProperty("cancelled").GetBoolean());
        Assert.Equal(["completed", "cancelled"], json.RootElement.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("status").GetString()));
        Assert.True(File.Exists(Path.Combine(output, "trial-1", "best.ckpt")));
    }

    [Theory]
    [InlineData("""{"depht": [18]}""", "depht: is not an option")]
    [InlineData("""{"depth": []}""", "depth: is an empty list")]
    [InlineData("""{"learningRate": {"min": 0.1, "max": 0.001, "count": 3}}""", "learningRate (--lr): range min 0.1 is above max 0.001")]
    [InlineData("""{"lr": {"min": 0.001, "max": 0.01}}""", "learningRate (--lr): a range in a grid needs \"count\"")]
    [InlineData("""{"depth": [18, 19]}""", "depth: 19 is not one of 18, 34, 50, 101, 152 (swept value 19)")]
    [InlineData("""{"lr": {"min": 0.001, "max": 0.1, "count": 11}, "momentum": {"min": 0, "max": 0.9, "count": 10}, "weightDecay": {"min": 0, "max": 0.01, "count": 11}}""",
        "space: the grid has 1,210 trials (learningRate (11) x momentum (10) x weightDecay (11)), more than 1,000")]
    [InlineData("""{"space": {"depth": [18]}, "strategy": "bayes"}""", "strategy: must be grid or random, not 'bayes'")]
    [InlineData("""{"depth": [18""", "space: is not valid JSON")]
    public void Sweep_BadSpace_ExitsNonZeroWithOneLineNamingTheOption(string json, string expected)
    {
        var result = CliProcess.Run("sweep", "--space", SpaceFile(json), "--train-dir", data.TrainDir, "--valid-dir", data.ValidDir,
            "--device", "cpu", "--out", data.NewOutputDir());

        CliAssert.FailsWithOneLine(result, 1, expected);
    }

    [Theory]
    [InlineData("folds: must be from 2 to 10, not 11", "--folds", "11")]
    [InlineData("trials: must be from 1 to 1,000, not 0", "--strategy", "random", "--trials", "0")]
    [InlineData("metric: must be auc or accuracy, not 'f1'", "--metric", "f1")]
    [InlineData("preset: 'fastest' is not one of reference, quick, best, deeper, pretrained", "--preset", "fastest")]
    public void Sweep_BadFlag_ExitsNonZeroWithOneLineNamingIt(string expected, params string[] args)
    {
        var result = CliProcess.Run(["sweep", "--space", SpaceFile("""{"space": {"depth": [18]}, "base": {""" + TinyBase + "}}"), "--train-dir", data.TrainDir,
            "--valid-dir", data.ValidDir, "--device", "cpu", "--out", data.NewOutputDir(), .. args]);

        CliAssert.FailsWithOneLine(result, 1, expected);
    }

    [Fact]
    public void Sweep_MoreFoldsThanTheSmallestClass_RefusedBeforeTraining()
    {
        using var temp = new TempDir();
        var train = TestImages.WriteTrainingFolder(temp.Sub("PALM-Training400"), normal: 2, high: 0, pathologic: 4, size: 32);

        var result = CliProcess.Run("sweep", "--space", SpaceFile("""{"folds": [2, 3]}"""), "--train-dir", train, "--depth", "18", "--image-size", "32",
            "--device", "cpu", "--out", temp.Sub("out"));

        CliAssert.FailsWithOneLine(result, 1, "--folds: 3 folds is more than the 2 distinct images of the smallest class (label 0)");
        Assert.False(Directory.Exists(Path.Combine(temp.Path, "out", "trial-1")), "a trial trained before the refusal");
    }

    [Fact]
    public void Sweep_NoValidationData_RefusedBeforeTraining()
    {
        var result = CliProcess.Run("sweep", "--space", SpaceFile("""{"depth": [18]}"""), "--train-dir", data.TrainDir, "--device", "cpu", "--out", data.NewOutputDir());

        CliAssert.FailsWithOneLine(result, 1, "A sweep ranks its trials on validation data, and trial 1 has none: give a validation folder, a holdout or folds.");
    }

    [Fact]
    public void Sweep_MissingSpaceFile_NamesIt()
    {
        var result = CliProcess.Run("sweep", "--space", "/nonexistent/space.json", "--train-dir", data.TrainDir, "--out", data.NewOutputDir());

        CliAssert.FailsWithOneLine(result, 1, "--space: cannot read /nonexistent/space.json");
    }

    private string SpaceFile(string json)
    {
        var path = Path.Combine(data.NewOutputDir(), "space.json");
        File.WriteAllText(path, json);
        return path;
    }
}
