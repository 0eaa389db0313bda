using System.Text.Json;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalmLab.Engine.Backbones;
using PalmLab.Engine.DataSets;
using PalmLab.Engine.Training;
using PalmLab.Web.Components.Pages.NewRun;
using PalmLab.Web.Data;

namespace PalmLab.Tests.Web.Components;

/// <summary>The New run form's "Start from" card: scratch or a pretrained backbone, and how the backbone is fine-tuned.</summary>
public sealed class StartFromCardTests : RunPagesTestBase
{
    private static readonly int BackboneDepth = Backbones.DepthOf(Backbones.ImageNetResNet18, null);

    private static readonly IReadOnlyList<BackboneChoice> Choices = [new(Backbones.Scratch, null), new(Backbones.ImageNetResNet18, BackboneDepth)];

    [Fact]
    public void Card_FromScratch_OffersEveryBackboneAndHidesTheFineTuningFields()
    {
        var cut = RenderCard(TrainingPresets.Reference);

        Assert.Equal("true", Choice(cut, "scratch").GetAttribute("aria-checked"));
        Assert.Equal("false", Choice(cut, Backbones.ImageNetResNet18).GetAttribute("aria-checked"));
        Assert.Contains($"ResNet-{BackboneDepth} trained on ImageNet", Choice(cut, Backbones.ImageNetResNet18).TextContent);
        Assert.Empty(cut.FindAll("[data-option='backboneLearningRate']"));
        Assert.Empty(cut.FindAll("[data-option='freezeBatchNorm']"));
    }

    [Fact]
    public void Card_BackboneChosen_TakesItsDepth()
    {
        TrainingOptions? changed = null;
        var cut = RenderCard(TrainingPresets.Reference, onChanged: o => changed = o);

        Choice(cut, Backbones.ImageNetResNet18).Click();

        Assert.Equal(TrainingPresets.Reference with { Backbone = Backbones.ImageNetResNet18, Depth = BackboneDepth }, changed);
    }

    [Fact]
    public void Card_ScratchChosenAgain_TrainsEveryLayerAtTheRateWithTheBaselinesDepth()
    {
        TrainingOptions? changed = null;
        var pretrained = TrainingPresets.Reference with { Backbone = Backbones.ImageNetResNet18, Depth = BackboneDepth, BackboneLearningRate = 0.1, FreezeBatchNorm = true };
        var cut = RenderCard(pretrained, baseline: TrainingPresets.Reference, onChanged: o => changed = o);
        Assert.Equal("0.1", cut.Find("[data-option='backboneLearningRate'] input").GetAttribute("value"));
        Assert.NotEmpty(cut.FindAll("[data-option='freezeBatchNorm'] input[type='checkbox']"));

        Choice(cut, "scratch").Click();

        Assert.Equal(TrainingPresets.Reference, changed);
    }

    [Fact]
    public void Card_ABackboneTheServerDoesNotOffer_IsShownChosenWithWhy()
    {
        var cut = RenderCard(TrainingPresets.Reference with { Backbone = "gone-net" },
            errors: new() { ["backbone"] = ["'gone-net' is not one of the backbones: scratch, resnet18-imagenet"] });

        Assert.Equal("true", Choice(cut, "gone-net").GetAttribute("aria-checked"));
        Assert.Contains("it is not among this server's backbones", Choice(cut, "gone-net").TextContent);
        Assert.Contains("is not one of the backbones", cut.Find("[data-field='backbone']").TextContent);
    }

    [Fact]
    public async Task Page_SavedPresetWithABackbone_ChoosesItInTheCardLocksTheDepthAndQueuesIt()
    {
        await AddDataSetAsync("demo");
        var preset = TrainingPresets.Best with
        {
            Backbone = Backbones.ImageNetResNet18, Depth = BackboneDepth, ImageSize = 64, BackboneLearningRate = 0.25, FreezeBatchNorm = true,
        };
        await using (var db = await Seed.Factory.CreateDbContextAsync())
        {
            db.SavedPresets.Add(new SavedPreset { Name = "fine-tune", Options = preset, CreatedAt = Seed.NewDataSet("x").CreatedAt });
            await db.SaveChangesAsync();
        }
        Services.GetRequiredService<NavigationManager>().NavigateTo("/runs/new?preset=fine-tune");

        var cut = Render<NewRunPage>();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("true", cut.Find($"[data-backbone='{Backbones.ImageNetResNet18}']").GetAttribute("aria-checked"));
            Assert.Equal("0.25", cut.Find("[data-option='backboneLearningRate'] input").GetAttribute("value"));
            Assert.Contains($"ResNet-{BackboneDepth}", cut.Find("[data-option='depth']").TextContent);
            Assert.Contains("backbone's own depth", cut.Find("[data-option='depth']").TextContent);
            Assert.NotEmpty(cut.FindAll("[data-option='depth'] .mud-disabled"));
        });
        cut.WaitForAssertion(() => Assert.False(QueueButton(cut).HasAttribute("disabled")));
        QueueButton(cut).Click();

        var navigation = Services.GetRequiredService<NavigationManager>();
        cut.WaitForAssertion(() => Assert.Matches(@"/runs/\d+$", navigation.Uri));
        await using var check = await Seed.Factory.CreateDbContextAsync();
        var run = await check.Runs.SingleAsync();
        Assert.Equal(preset with { Holdout = 0.2 }, run.Options);
    }

    [Fact]
    public async Task Page_BackboneThenScratch_LocksThenFreesTheDepth()
    {
        await AddDataSetAsync("demo");
        var cut = Render<NewRunPage>();
        cut.WaitForAssertion(() => Assert.Contains("ResNet-50", cut.Find("[data-option='depth']").TextContent));

        cut.Find($"[data-backbone='{Backbones.ImageNetResNet18}']").Click();

        cut.WaitForAssertion(() =>
        {
            Assert.Contains($"ResNet-{BackboneDepth}", cut.Find("[data-option='depth']").TextContent);
            Assert.NotEmpty(cut.FindAll("[data-option='depth'] .mud-disabled"));
            Assert.Contains("Start from", cut.Find(".newrun-edited").TextContent);
        });
        cut.Find("[data-backbone='scratch']").Click();
        cut.WaitForAssertion(() =>
        {
            Assert.Contains("ResNet-50", cut.Find("[data-option='depth']").TextContent);
            Assert.Empty(cut.FindAll("[data-option='depth'] .mud-disabled"));
            Assert.Empty(cut.FindAll("[data-option='backboneLearningRate']"));
        });
    }

    private IRenderedComponent<StartFromCard> RenderCard(
        TrainingOptions options, TrainingOptions? baseline = null, Action<TrainingOptions>? onChanged = null, Dictionary<string, string[]>? errors = null) =>
        Render<StartFromCard>(p => p
            .Add(c => c.Options, options)
            .Add(c => c.Baseline, baseline ?? options)
            .Add(c => c.Backbones, Choices)
            .Add(c => c.Errors, errors ?? [])
            .Add(c => c.OptionsChanged, EventCallback.Factory.Create<TrainingOptions>(this, o => onChanged?.Invoke(o))));

    private static AngleSharp.Dom.IElement Choice(IRenderedComponent<StartFromCard> cut, string name) => cut.Find($"[data-backbone='{name}']");

    private static AngleSharp.Dom.IElement QueueButton(IRenderedComponent<NewRunPage> cut) =>
        cut.FindAll("button").Single(b => b.TextContent.Contains("Queue run"));

    private async Task AddDataSetAsync(string name)
    {
        var dataSet = Seed.NewDataSet(name);
        dataSet.TrainImages = 20;
        dataSet.ReportJson = JsonSerializer.Serialize(new DataSetReport(20, 8, 2, 10, 0, 0, 0, [], "hash", []), DataSetJson.Options);
        await using var db = await Seed.Factory.CreateDbContextAsync();
        db.DataSets.Add(dataSet);
        await db.SaveChangesAsync();
    }
}
