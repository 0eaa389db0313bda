using PalmLab.Engine;
using PalmLab.Engine.Sweeps;
using PalmLab.Engine.Training;

namespace PalmLab.Tests.Engine.Sweeps;

public class SweepSpecTests
{
    [Fact]
    public void Trials_Grid_CartesianProductWithTheFirstOptionSlowest()
    {
        var spec = Spec("""{"depth": [18, 34], "lr": [0.01, 0.002], "flip": [true, false]}""");

        var trials = spec.Trials();

        Assert.Equal(8, trials.Count);
        Assert.Equal(Enumerable.Range(1, 8), trials.Select(t => t.Number));
        Assert.Equal(
            ["depth=18 learningRate=0.01 augmentFlip=true", "depth=18 learningRate=0.01 augmentFlip=false",
             "depth=18 learningRate=0.002 augmentFlip=true", "depth=18 learningRate=0.002 augmentFlip=false",
             "depth=34 learningRate=0.01 augmentFlip=true", "depth=34 learningRate=0.01 augmentFlip=false",
             "depth=34 learningRate=0.002 augmentFlip=true", "depth=34 learningRate=0.002 augmentFlip=false"],
            trials.Select(t => t.Describe()));
        Assert.Equal(34, trials[6].Options.Depth);
        Assert.Equal(0.002, trials[6].Options.LearningRate);
        Assert.True(trials[6].Options.AugmentFlip);
        // Everything else is the base's.
        Assert.Equal(spec.Base with { Depth = 34, LearningRate = 0.002, AugmentFlip = true }, trials[6].Options);
    }

    [Fact]
    public void Trials_GridWithBudget_TheFirstTrialsInOrder()
    {
        var spec = Spec("""{"depth": [18, 34], "lr": [0.01, 0.002]}""") with { Budget = 3 };

        Assert.Equal(["depth=18 learningRate=0.01", "depth=18 learningRate=0.002", "depth=34 learningRate=0.01"], spec.Trials().Select(t => t.Describe()));
    }

    [Fact]
    public void Trials_RandomSameSeed_SameTrials_OtherSeed_OtherTrials()
    {
        var spec = Spec("""{"lr": {"min": 0.001, "max": 0.1, "scale": "log"}, "depth": [18, 34], "weightDecay": {"min": 0, "max": 0.001}}""")
            with { Strategy = SweepStrategy.Random, RandomTrials = 6, Seed = 7 };

        var first = spec.Trials().Select(t => t.Describe()).ToList();
        var again = spec.Trials().Select(t => t.Describe()).ToList();
        var other = (spec with { Seed = 8 }).Trials().Select(t => t.Describe()).ToList();

        Assert.Equal(6, first.Count);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Equal(6, first.Distinct().Count());
        Assert.All(spec.Trials(), t => Assert.InRange(t.Options.LearningRate, 0.001, 0.1));
    }

    [Fact]
    public void Trials_RandomLogRange_UniformInLogSpace()
    {
        var spec = Spec("""{"lr": {"min": 0.0001, "max": 1, "scale": "log"}}""", """{"endLearningRate": 0}""")
            with { Strategy = SweepStrategy.Random, RandomTrials = 1000, Seed = 1 };

        var rates = spec.Trials().Select(t => t.Options.LearningRate).ToList();

        // Log-uniform over four decades: a quarter in each; a linear draw would put 99% in the top decade.
        Assert.Equal(1000, rates.Count);
        foreach (var (low, high) in new[] { (1e-4, 1e-3), (1e-3, 1e-2), (1e-2, 1e-1), (1e-1, 1.0) })
        {
            Assert.InRange(rates.Count(r => r >= low && r < high), 200, 300);
        }
        // Drawn values keep four significant digits, so they read and are typed back exactly.
        Assert.All(rates, r => Assert.Equal(r, double.Parse(r.ToString("G4", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Trials_RandomWholeNumberRange_WholeNumbersCoveringBothEnds()
    {
        var spec = Spec("""{"epochs": {"min": 1, "max": 3}, "imageSize": {"min": 32, "max": 64, "step": 16}}""")
            with { Strategy = SweepStrategy.Random, RandomTrials = 9, Seed = 3 };

        var trials = spec.Trials();

        // 3 x 3 distinct points: random search runs each once and never repeats one.
        Assert.Equal(9, trials.Count);
        Assert.Equal(9, trials.Select(t => (t.Options.Epochs, t.Options.ImageSize)).Distinct().Count());
        Assert.Equal([1, 2, 3], trials.Select(t => t.Options.Epochs).Distinct().Order());
        Assert.Equal([32, 48, 64], trials.Select(t => t.Options.ImageSize).Distinct().Order());
    }

    [Fact]
    public void Trials_RandomMoreTrialsThanPoints_StopsWhenNoNewPointIsLeft()
    {
        var spec = Spec("""{"depth": [18, 34]}""") with { Strategy = SweepStrategy.Random, RandomTrials = 5 };

        Assert.Equal(2, spec.Trials().Count);
    }

    [Fact]
    public void Validate_GridOverAThousand_SaysHowMany()
    {
        var spec = Spec("""{"lr": {"min": 0.0001, "max": 0.1, "scale": "log", "count": 11}, "depth": [18, 34, 50], "batchSize": {"min": 2, "max": 100, "step": 2}, "flip": [true, false]}""",
            """{"endLearningRate": 0}""");

        var error = Assert.Single(spec.Validate());

        Assert.Equal("Space", error.Option);
        Assert.Contains("the grid has 3,300 trials (learningRate (11) x depth (3) x batchSize (50) x augmentFlip (2)), more than 1,000", error.Message);
        // A budget does not make a grid that large acceptable, but random search over it is fine.
        Assert.NotEmpty((spec with { Budget = 10 }).Validate());
        Assert.Empty((spec with { Strategy = SweepStrategy.Random }).Validate());
    }

    [Fact]
    public void Validate_RangeInAGridWithoutCountOrStep_NamesIt()
    {
        var error = Assert.Single(Spec("""{"lr": {"min": 0.001, "max": 0.01}}""").Validate());

        Assert.Equal("LearningRate", error.Option);
        Assert.Contains("a range in a grid needs \"count\"", error.Message);
    }

    [Fact]
    public void Validate_ValueTheOptionRefuses_NamesOptionAndValue()
    {
        var errors = Spec("""{"depth": [18, 19], "lr": {"min": 0.01, "max": 20, "count": 2}}""").Validate();

        Assert.Equal(["Depth", "LearningRate"], errors.Select(e => e.Option));
        Assert.Equal("19 is not one of 18, 34, 50, 101, 152 (swept value 19)", errors[0].Message);
        Assert.Equal("must be above 0 and at most 10, not 20 (swept value 20)", errors[1].Message);
    }

    [Fact]
    public void Validate_ValuesFineAloneButNotTogether_NamesTheTrial()
    {
        // A swept starting rate below the base's end rate (0.001).
        var error = Assert.Single(Spec("""{"lr": [0.01, 0.0005]}""").Validate());

        Assert.Equal("EndLearningRate", error.Option);
        Assert.Equal("must be from 0 to the starting rate (0.0005), not 0.001 (in trial 2: learningRate=0.0005)", error.Message);
    }

    [Fact]
    public void Validate_SweptFoldsWithABaseHoldout_Refused()
    {
        var errors = Spec("""{"folds": [2, 3]}""", """{"holdout": 0.2}""").Validate();

        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Equal("Folds", e.Option));
        Assert.Contains("give no holdout (swept value 3)", errors[1].Message);
    }

    [Fact]
    public void Trials_Invalid_ThrowsAUserMessage()
    {
        var error = Assert.Throws<PalmLabException>(() => Spec("""{"depth": [19]}""").Trials());

        Assert.Equal("Invalid sweep: depth: 19 is not one of 18, 34, 50, 101, 152 (swept value 19).", error.Message);
    }

    [Fact]
    public void Parse_FullFile_ReadsEverySetting()
    {
        var (spec, errors) = SweepSpecFile.Parse("""
            {
              // comments are allowed
              "space": {"depth": [18, 34]},
              "preset": "quick",
              "base": {"folds": 3, "image-size": 32},
              "strategy": "random", "trials": 4, "seed": 9, "metric": "accuracy", "budget": 3,
              "medianStopping": {"minEpochs": 3, "minCompletedTrials": 1}
            }
            """);

        Assert.Empty(errors);
        Assert.NotNull(spec);
        Assert.Equal("quick", spec.Preset);
        Assert.Equal(TrainingPresets.Quick with { Folds = 3, ImageSize = 32 }, spec.Base);
        Assert.Equal((SweepStrategy.Random, 4, 9, SweepMetric.Accuracy, 3), (spec.Strategy, spec.RandomTrials, spec.Seed, spec.Metric, spec.Budget));
        Assert.Equal(new MedianStopping(3, 1), spec.Stopping);
    }

    [Fact]
    public void Parse_SpaceOnlyFile_DefaultsEverythingElse()
    {
        var (spec, errors) = SweepSpecFile.Parse("""{"depth": [18, 34]}""");

        Assert.Empty(errors);
        Assert.Equal((SweepStrategy.Grid, SweepMetric.Auc, (int?)null), (spec!.Strategy, spec.Metric, spec.Budget));
        Assert.Equal(TrainingPresets.Reference, spec.Base);
        Assert.Equal(new MedianStopping(MedianStopping.DefaultMinEpochs, MedianStopping.DefaultMinCompletedTrials), spec.Stopping);
    }

    [Fact]
    public void Parse_Overrides_ReplaceTheFilesSettingsAndGoOverItsBase()
    {
        var (spec, errors) = SweepSpecFile.Parse(
            """{"space": {"depth": [18]}, "preset": "deeper", "base": {"epochs": 3, "imageSize": 64}, "strategy": "grid", "medianStopping": false}""",
            new SweepOverrides
            {
                Preset = "quick", Base = [new("epochs", "2"), new("folds", "5")], Strategy = "random", Trials = 7, Seed = 1, Metric = "accuracy", Budget = 2,
            });

        Assert.Empty(errors);
        Assert.Equal(TrainingPresets.Quick with { Epochs = 2, ImageSize = 64, Folds = 5 }, spec!.Base);
        Assert.Equal((SweepStrategy.Random, 7, 1, SweepMetric.Accuracy, 2), (spec.Strategy, spec.RandomTrials, spec.Seed, spec.Metric, spec.Budget));
        Assert.Null(spec.Stopping);
    }

    [Theory]
    [InlineData("""{"space": {"depth": [18]}, "strategy": "best"}""", "Strategy", "must be grid or random, not 'best'")]
    [InlineData("""{"space": {"depth": [18]}, "metric": "f1"}""", "Metric", "must be auc or accuracy, not 'f1'")]
    [InlineData("""{"space": {"depth": [18]}, "strategy": "random", "trials": 0}""", "Trials", "must be from 1 to 1,000, not 0")]
    [InlineData("""{"space": {"depth": [18]}, "budget": 0}""", "Budget", "must be 1 or more, not 0")]
    [InlineData("""{"space": {"depth": [18]}, "budget": 1.5}""", "Budget", "must be a whole number, not 1.5")]
    [InlineData("""{"space": {"depth": [18]}, "preset": "fastest"}""", "Preset", "'fastest' is not one of reference, quick, best, deeper, pretrained")]
    [InlineData("""{"space": {"depth": [18]}, "base": {"folds": 11}}""", "Folds", "must be from 2 to 10, not 11")]
    [InlineData("""{"space": {"depth": [18]}, "base": {"dept": 18}}""", "dept", "is not an option")]
    [InlineData("""{"space": {"depth": [18]}, "base": [1]}""", "Base", "must be an object of options")]
    [InlineData("""{"space": {"depth": [18]}, "medianStopping": {"minEpochs": 0}}""", "MedianStopping", "minEpochs must be 1 or more, not 0")]
    [InlineData("""{"space": {"depth": [18]}, "medianStopping": {"after": 2}}""", "MedianStopping", "has 'after', which is not minEpochs or minCompletedTrials")]
    [InlineData("""{"space": {"depth": [18]}, "trails": 3}""", "trails", "is not a sweep setting (the settings are space, preset, base,")]
    [InlineData("""{"space": {"depth": []}}""", "Depth", "is an empty list")]
    public void Parse_BadFile_NamesTheSettingOrOption(string json, string option, string message)
    {
        var (spec, errors) = SweepSpecFile.Parse(json);

        Assert.Null(spec);
        var error = Assert.Single(errors);
        Assert.Equal(option, error.Option);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Parse_BadOverride_NamesIt()
    {
        var (_, errors) = SweepSpecFile.Parse("""{"depth": [18]}""", new SweepOverrides { Base = [new("folds", "11")], Strategy = "gird" });

        Assert.Equal(["Folds", "Strategy"], errors.Select(e => e.Option).Order());
    }

    [Fact]
    public void SweepJson_WriteThenRead_KeepsSpecAndTrials()
    {
        using var temp = new Support.TempDir();
        var spec = Spec("""{"depth": [18, 34], "lr": {"min": 0.001, "max": 0.1, "scale": "log", "count": 3}}""");
        var trial = spec.Trials()[1];
        var result = new SweepResult(spec, false, [
            new SweepTrialResult(2, "trial-2", trial.Swept, trial.Options, SweepTrialStatus.StoppedEarly, "stopped", new MeanStd(0.8, 0.05, 2),
                new SweepPoint(1, 2), [new SweepEpochMetric(1, new MeanStd(0.7, null, 1))], [new SweepPointValue(1, 1, 0.7)], 1.5),
        ], 2.5);

        SweepJson.Write(temp.Path, result);
        var read = SweepJson.Read(Path.Combine(temp.Path, SweepJson.FileName));
        var text = File.ReadAllText(Path.Combine(temp.Path, SweepJson.FileName));

        Assert.Equal(spec.Space.ToJson(), read.Spec.Space.ToJson());
        Assert.Equal(spec.Base, read.Spec.Base);
        Assert.Equal(spec.Stopping, read.Spec.Stopping);
        Assert.Equal(SweepTrialStatus.StoppedEarly, read.Trials[0].Status);
        Assert.Equal(new SweepPoint(1, 2), read.Trials[0].StoppedAt);
        Assert.Equal(trial.Options, read.Trials[0].Options);
        Assert.Contains("\"status\": \"stoppedEarly\"", text);
        Assert.Contains("\"strategy\": \"grid\"", text);
        Assert.Contains("\"metric\": \"auc\"", text);
    }

    private static SweepSpec Spec(string space, string? baseJson = null)
    {
        var json = baseJson is null ? space : $$"""{"space": {{space}}, "base": {{baseJson}}}""";
        var (spec, errors) = SweepSpecFile.Parse(json);
        if (spec is not null)
        {
            return spec;
        }
        // Invalid specs are built without validation, so a test can look at Validate() itself.
        var (parsed, spaceErrors) = SweepSpace.Parse(space);
        Assert.Empty(spaceErrors);
        Assert.NotEmpty(errors);
        var options = baseJson is null ? new TrainingOptions() : TrainingPresets.Resolve(null, System.Text.Json.JsonDocument.Parse(baseJson).RootElement
            .EnumerateObject().Select(p => KeyValuePair.Create(p.Name, (object?)p.Value.Clone()))).Options;
        return new SweepSpec { Base = options, Space = parsed };
    }
}
