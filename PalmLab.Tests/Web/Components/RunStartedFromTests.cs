using Bunit;
using PalmLab.Engine.Backbones;
using PalmLab.Engine.Training;
using PalmLab.Web.Components.Pages.Runs;
using PalmLab.Web.Data;

namespace PalmLab.Tests.Web.Components;

/// <summary>The run page says where a run's network started.</summary>
public sealed class RunStartedFromTests : RunPagesTestBase
{
    [Theory]
    [InlineData(Backbones.Scratch, 1, false, "Started from scratch (random weights)")]
    [InlineData(Backbones.ImageNetResNet18, 0.1, true, "Started from resnet18-imagenet (backbone lr × 0.1, batch norms frozen)")]
    public async Task Render_Run_SaysWhereItsNetworkStarted(string backbone, double factor, bool freeze, string expected)
    {
        var run = RunListSeed.NewRun(Seed.NewDataSet("demo"), "fine-tuned", 1, RunStatus.Queued);
        run.Options = TrainingPresets.Quick with { Backbone = backbone, BackboneLearningRate = factor, FreezeBatchNorm = freeze };
        await Seed.AddAsync(run);

        var cut = Render<RunDetailPage>(p => p.Add(x => x.Id, run.Id));

        cut.WaitForAssertion(() => Assert.Equal(expected, cut.Find("[data-fact='start-from']").TextContent.Trim()));
    }
}
