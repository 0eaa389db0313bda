using PalmLab.Engine.Backbones;
using PalmLab.Engine.Sweeps;
using PalmLab.Engine.Training;

namespace PalmLab.Tests.Engine.Sweeps;

/// <summary>Sweeping where the network starts: backbones by name, each trial at its backbone's depth.</summary>
public class BackboneSweepTests
{
    private static readonly int BackboneDepth = Backbones.DepthOf(Backbones.ImageNetResNet18, null);

    [Fact]
    public void Trials_SweptBackbone_EachTrainsAtItsBackbonesDepth()
    {
        var (spec, errors) = SweepSpecFile.Parse("""
            {"space": {"backbone": ["scratch", "resnet18-imagenet"], "backboneLearningRate": [1]}, "base": {"imageSize": 64}}
            """);

        Assert.Empty(errors);
        var trials = spec!.Trials();
        Assert.Equal(["backbone=scratch backboneLearningRate=1", "backbone=resnet18-imagenet backboneLearningRate=1"], trials.Select(t => t.Describe()));
        Assert.Equal(TrainingPresets.Reference with { ImageSize = 64 }, trials[0].Options);
        Assert.Equal(TrainingPresets.Reference with { ImageSize = 64, Backbone = Backbones.ImageNetResNet18, Depth = BackboneDepth }, trials[1].Options);
    }

    [Fact]
    public void Validate_BackboneAndDepthBothSwept_RefusesThePairThatDiffers()
    {
        var otherDepth = BackboneDepth == 50 ? 34 : 50;

        var (spec, errors) = SweepSpecFile.Parse($$$"""{"space": {"backbone": ["resnet18-imagenet"], "depth": [{{{BackboneDepth}}}, {{{otherDepth}}}]}, "base": {"imageSize": 64}}""");

        Assert.Null(spec);
        var error = Assert.Single(errors);
        Assert.Equal("Depth", error.Option);
        Assert.Contains($"is a ResNet-{BackboneDepth}, not the ResNet-{otherDepth} asked for", error.Message);
        Assert.Contains("(in trial 2: ", error.Message);
    }

    [Fact]
    public void Parse_BackboneAsARangeOrAnUnknownName_IsRefusedSayingWhy()
    {
        var (_, range) = SweepSpace.Parse("""{"backbone": {"min": 1, "max": 2}}""");
        var (spec, unknown) = SweepSpecFile.Parse("""{"space": {"backbone": ["scratch", "mars-net"]}, "base": {"imageSize": 64}}""");

        Assert.Equal("takes a list of values, not a range (backbone is a name)", Assert.Single(range).Message);
        Assert.Null(spec);
        Assert.Contains("'mars-net' is not one of the backbones", Assert.Single(unknown).Message);
    }
}
