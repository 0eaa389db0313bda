using System.Text.Json;
using PalmLab.Engine.Backbones;
using PalmLab.Engine.Training;

namespace PalmLab.Tests.Engine;

/// <summary>The backbone options as the front ends give them: by name, with the depth and image size they imply.</summary>
public class BackboneOptionTests
{
    private static readonly int BackboneDepth = Backbones.DepthOf(Backbones.ImageNetResNet18, null);

    private static (TrainingOptions Options, Dictionary<string, string> Errors) Resolve(string? preset, string json)
    {
        using var document = JsonDocument.Parse(json);
        var (options, errors) = TrainingPresets.Resolve(preset, document.RootElement.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, (object?)p.Value.Clone())));
        return (options, errors.ToDictionary(e => e.Option, e => e.Message));
    }

    [Fact]
    public void Defaults_AreTheReferenceRecipeFromScratch()
    {
        var options = new TrainingOptions();

        Assert.Equal("scratch", options.Backbone);
        Assert.Equal(1, options.BackboneLearningRate);
        Assert.False(options.FreezeBatchNorm);
        Assert.Equal(typeof(string), TrainingOption.Find("backbone")!.Type);
        Assert.Equal("BackboneLearningRate", TrainingOption.Find("backbone-lr")!.Name);
        Assert.Equal("freezeBatchNorm", TrainingOption.Find("freeze-bn")!.JsonName);
    }

    [Fact]
    public void Resolve_ABackboneWithoutDepth_TakesTheBackbonesDepth()
    {
        var (options, errors) = Resolve("reference", """{"backbone": "resnet18-imagenet", "backboneLearningRate": 0.1, "freezeBatchNorm": true}""");

        Assert.Empty(errors);
        Assert.Equal(TrainingPresets.Reference with
        {
            Backbone = "resnet18-imagenet", Depth = BackboneDepth, BackboneLearningRate = 0.1, FreezeBatchNorm = true,
        }, options);
    }

    [Fact]
    public void Resolve_ABackboneFromTheCommandLineWithItsOwnDepth_IsValid()
    {
        var (options, errors) = TrainingPresets.Resolve(null, [KeyValuePair.Create("backbone", (object?)" resnet18-imagenet "), KeyValuePair.Create("depth", (object?)BackboneDepth.ToString())]);

        Assert.Empty(errors);
        Assert.Equal("resnet18-imagenet", options.Backbone);
    }

    [Fact]
    public void Resolve_ADepthThatIsNotTheBackbones_NamesBoth()
    {
        var otherDepth = BackboneDepth == 50 ? 34 : 50;

        var (_, errors) = Resolve(null, $$"""{"backbone": "resnet18-imagenet", "depth": {{otherDepth}}}""");

        Assert.Equal($"the backbone resnet18-imagenet is a ResNet-{BackboneDepth}, not the ResNet-{otherDepth} asked for: give depth {BackboneDepth} or none", errors["Depth"]);
    }

    [Fact]
    public void Resolve_BadBackboneValues_NameEachProblem()
    {
        var (_, unknown) = Resolve(null, """{"backbone": "resnet99-mars"}""");
        var (_, number) = Resolve(null, """{"backbone": 18}""");
        var (_, unsafeName) = Resolve(null, """{"backbone": "../etc/passwd"}""");
        var (_, tooLong) = Resolve(null, $$"""{"backbone": "{{new string('a', 65)}}"}""");
        var (_, fraction) = Resolve(null, """{"backbone": "resnet18-imagenet", "backboneLearningRate": 1.5}""");
        var (_, fromScratch) = Resolve(null, """{"backboneLearningRate": 0.1, "freezeBatchNorm": true}""");

        Assert.Equal("'resnet99-mars' is not one of the backbones: " + string.Join(", ", Backbones.Available(null)), unknown["Backbone"]);
        Assert.Equal("must be a name, not 18", number["Backbone"]);
        Assert.StartsWith("must be scratch or a backbone's name: 1 to 64 letters, digits, '.', '_' or '-'", unsafeName["Backbone"]);
        Assert.Contains("not '../etc/passwd'", unsafeName["Backbone"]);
        Assert.StartsWith("must be scratch or a backbone's name", tooLong["Backbone"]);
        Assert.Equal("must be from 0 to 1 (a fraction of lr), not 1.5", fraction["BackboneLearningRate"]);
        Assert.StartsWith("applies to a pretrained backbone", fromScratch["BackboneLearningRate"]);
        Assert.StartsWith("applies to a pretrained backbone", fromScratch["FreezeBatchNorm"]);
    }

    [Fact]
    public void Validate_AShortEndBackboneAtAnImageSizeNotAMultipleOf32_SaysSo()
    {
        var shortEnd = Backbones.ArchitectureOf(Backbones.ImageNetResNet18, null)!.ShortEndPadding;
        var config = new TrainingConfig
        {
            TrainDir = "train",
            Options = new TrainingOptions { Backbone = Backbones.ImageNetResNet18, Depth = BackboneDepth, ImageSize = 100 },
        };

        var errors = config.Validate();

        Assert.Equal(shortEnd, errors.Any(e => e.Option == "ImageSize" && e.Message.Contains("multiples of 32") && e.Message.EndsWith("not 100")));
        Assert.Empty((config with { Options = config.Options with { ImageSize = 224 } }).Validate());
    }
}
