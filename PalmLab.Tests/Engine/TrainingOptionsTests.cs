using System.Reflection;
using System.Text.Json;
using PalmLab.Engine.Runtime;
using PalmLab.Engine.Training;

namespace PalmLab.Tests.Engine;

public class TrainingOptionsTests
{
    [Fact]
    public void All_EveryPublicProperty_IsAnOptionWithItsOwnNames()
    {
        var properties = typeof(TrainingOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name);

        Assert.Equal(properties.Order(), TrainingOption.All.Select(o => o.Name).Order());
        Assert.Equal(24, TrainingOption.All.Count);
        Assert.Equal(TrainingOption.All.Count, TrainingOption.All.Select(o => o.CliName).Distinct().Count());
        Assert.Equal("batchSize", TrainingOption.Find("batch-size")!.JsonName);
        Assert.Equal("LearningRate", TrainingOption.Find("lr")!.Name);
    }

    [Fact]
    public void Resolve_PresetAndOverridesByAnyName_LaysTheOverridesOnThePreset()
    {
        using var json = JsonDocument.Parse("""{"epochs": 3, "schedule": "Cosine", "decaySteps": null}""");
        var overrides = json.RootElement.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, (object?)p.Value))
            .Append(KeyValuePair.Create("batch-size", (object?)"4"))
            .Append(KeyValuePair.Create("AugmentFlip", (object?)true));

        var (options, errors) = TrainingPresets.Resolve("quick", overrides);

        Assert.Empty(errors);
        Assert.Equal(TrainingPresets.Quick with
        {
            Epochs = 3, Schedule = LrScheduleKind.Cosine, DecaySteps = null, BatchSize = 4, AugmentFlip = true,
        }, options);
    }

    [Fact]
    public void Resolve_WrongTypesUnknownNamesAndPreset_NameEachProblem()
    {
        using var json = JsonDocument.Parse("""{"epochs": "ten", "schedule": "cosmic", "depth": 18.5, "augmentFlip": 1, "epochz": 3}""");
        var overrides = json.RootElement.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, (object?)p.Value));

        var (options, errors) = TrainingPresets.Resolve("fastest", overrides);

        var messages = errors.ToDictionary(e => e.Option, e => e.Message);
        Assert.Equal("'fastest' is not one of reference, quick, best, deeper, pretrained", messages["Preset"]);
        Assert.Equal("must be a whole number, not the text 'ten'", messages["Epochs"]);
        Assert.Equal("must be one of constant, polynomial, cosine, step, not 'cosmic'", messages["Schedule"]);
        Assert.Equal("must be a whole number, not 18.5", messages["Depth"]);
        Assert.Equal("must be true or false, not 1", messages["AugmentFlip"]);
        Assert.StartsWith("is not an option", messages["epochz"]);
        Assert.Equal(6, errors.Count);
        Assert.Equal(TrainingPresets.Reference, options);
    }

    [Theory]
    [InlineData("Epochs", int.MaxValue, "must be from 1 to 1,000, not 2147483647")]
    [InlineData("Epochs", 0, "must be from 1 to 1,000, not 0")]
    [InlineData("BatchSize", 1025, "must be from 2 to 1,024, not 1025")]
    [InlineData("BatchSize", 1, "must be at least 2: batch normalisation needs two images per batch")]
    [InlineData("LearningRate", 50.0, "must be above 0 and at most 10, not 50")]
    [InlineData("LearningRate", double.NaN, "must be above 0 and at most 10, not NaN")]
    [InlineData("LearningRate", double.PositiveInfinity, "must be above 0 and at most 10, not Infinity")]
    [InlineData("WarmupSteps", 100_001, "must be from 0 to 100,000, not 100001")]
    [InlineData("Seed", -1, "must be 0 or more, not -1")]
    [InlineData("ImageSize", 2048, "must be from 32 to 1,024 pixels, not 2048")]
    [InlineData("DecaySteps", 0.0, "must be above 0 and at most 100,000,000, not 0")]
    [InlineData("AugmentRotation", 181.0, "must be from 0 to 180 degrees, not 181")]
    [InlineData("Folds", 1, "must be from 2 to 10, not 1")]
    [InlineData("Folds", 11, "must be from 2 to 10, not 11")]
    public void Validate_ValueOutOfBounds_NamesTheOptionAndItsBounds(string option, object value, string expected)
    {
        var options = TrainingOption.Find(option)!.WithValue(new TrainingOptions(), value);

        var error = Assert.Single(options.Validate());

        Assert.Equal(new OptionError(option, expected), error);
    }

    [Fact]
    public void Validate_FoldsWithAHoldout_IsRefusedUnderFolds()
    {
        var error = Assert.Single(new TrainingOptions { Folds = 5, Holdout = 0.2 }.Validate());

        Assert.Equal(new OptionError("Folds", "cross-validation validates on the training images' own folds: give no holdout"), error);
    }

    [Fact]
    public void TrainerRun_CrossValidatedOptionsWithoutAFold_IsRefused()
    {
        var config = new TrainingConfig { TrainDir = "/nonexistent", Options = TrainingPresets.Quick with { Folds = 3 } };

        var error = Assert.Throws<PalmLab.Engine.PalmLabException>(() => Trainer.Run(config, Path.GetTempPath()));

        Assert.Contains("3-fold cross-validation trains one fold at a time", error.Message);
    }

    [Theory]
    [InlineData("polynomial,cosine")]
    [InlineData("constant, step")]
    [InlineData("3")]
    [InlineData("")]
    public void Resolve_ScheduleNotOneName_IsRefused(string text)
    {
        var (_, errors) = TrainingPresets.Resolve(null, [KeyValuePair.Create("schedule", (object?)text)]);

        Assert.Equal("Schedule", Assert.Single(errors).Option);
    }

    [Fact]
    public void Resolve_EmptyTextForANullableOption_EmptiesIt()
    {
        var (options, errors) = TrainingPresets.Resolve("reference", [KeyValuePair.Create("decay-steps", (object?)"")]);

        Assert.Empty(errors);
        Assert.Null(options.DecaySteps);
    }

    [Fact]
    public void Resolve_Best_IsTheRecipeMeasuredInModelQualityDoc()
    {
        // docs/model-quality.md reports cross-validated numbers for exactly these options: changing any of them needs a
        // new measurement there.
        var (options, errors) = TrainingPresets.Resolve("Best", []);

        Assert.Empty(errors);
        Assert.Equal(new TrainingOptions
        {
            Depth = 18, ImageSize = 64, BatchSize = 16, Epochs = 10, Schedule = LrScheduleKind.Polynomial, LearningRate = 0.005,
            EndLearningRate = 0.001, DecaySteps = null, Momentum = 0.9, WeightDecay = 0.0001, AugmentFlip = true, Seed = 0,
            Precision = TorchRuntime.FastestCpuPrecision, // bf16 where the processor has it, cross-validated in docs/benchmarks.md
        }, options);
    }

    [Fact]
    public void Resolve_Deeper_IsTheRecipeMeasuredInModelQualityDoc()
    {
        // Measured in docs/model-quality.md too (5-fold, about 3 h on two cores): a change here needs a new measurement.
        var (options, errors) = TrainingPresets.Resolve("deeper", []);

        Assert.Empty(errors);
        Assert.Equal(new TrainingOptions
        {
            Depth = 101, ImageSize = 224, BatchSize = 10, Epochs = 20, Schedule = LrScheduleKind.Cosine, LearningRate = 0.005,
            EndLearningRate = 0.001, DecaySteps = null, WarmupSteps = 40, Momentum = 0.9, WeightDecay = 0.0001, AugmentFlip = true, Seed = 0,
        }, options);
    }

    [Fact]
    public void Validate_ThePresets_AreValid()
    {
        Assert.All(TrainingPresets.All.Values, preset => Assert.Empty(preset.Validate()));
    }

    [Fact]
    public void Resolve_Pretrained_IsTheSweptFineTuningOfTheImageNetResNet18AndAValidRun()
    {
        var (options, errors) = TrainingPresets.Resolve("pretrained", []);

        Assert.Empty(errors);
        Assert.Equal(("resnet18-imagenet", 18, 128, 0.1, 5), (options.Backbone, options.Depth, options.ImageSize, options.BackboneLearningRate, options.Epochs));
        Assert.Empty(new TrainingConfig { TrainDir = "/data/train", Options = options }.Validate());
    }
}
