using System.Text.Json;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PalmLab.Engine.DataSets;
using PalmLab.Engine.Training;
using PalmLab.Web.Components.Pages.NewRun;
using PalmLab.Web.Components.Shared;
using PalmLab.Web.Data;

namespace PalmLab.Tests.Web.Components;

public sealed class NewRunPageTests : RunPagesTestBase
{
    [Fact]
    public async Task Render_DataSets_ListsEachWithItsTrainingImagesByClassAndItsValidation()
    {
        await AddDataSetAsync("demo", validation: 40);
        await AddDataSetAsync("tiny");

        var cut = Render<NewRunPage>();

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("20 training (8 normal, 2 high myopia, 10 pathologic) · 40 validation", DataSet(cut, "demo").TextContent);
            Assert.Contains("no validation folder: validates on a holdout", DataSet(cut, "tiny").TextContent);
            // The first by name is chosen to start with.
            Assert.Equal("true", DataSet(cut, "demo").GetAttribute("aria-checked"));
        });
    }

    [Fact]
    public void Render_NoDataSets_SaysHowToGetOneAndRefusesToQueue()
    {
        var cut = Render<NewRunPage>();

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("No data sets yet", cut.Find(".newrun-datasets-empty").TextContent);
            Assert.Equal("/datasets", cut.Find(".newrun-datasets-empty a").GetAttribute("href"));
            Assert.Contains("choose a data set", cut.Find("[data-field='dataSet']").TextContent);
            Assert.True(QueueButton(cut).HasAttribute("disabled"));
        });
    }

    [Fact]
    public async Task ChoosePreset_Quick_FillsEveryFieldFromThePreset()
    {
        await AddDataSetAsync("demo");
        var cut = Render<NewRunPage>();
        cut.WaitForAssertion(() => Assert.Equal("224", Input(cut, "imageSize")));

        cut.Find("[data-preset='quick']").Click();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("true", cut.Find("[data-preset='quick']").GetAttribute("aria-checked"));
            Assert.Contains("ResNet-18", cut.Find("[data-option='depth']").TextContent);
            Assert.Equal("64", Input(cut, "imageSize"));
            Assert.Equal("16", Input(cut, "batchSize"));
            Assert.Equal("5", Input(cut, "epochs"));
            Assert.Equal("", Input(cut, "decaySteps"));
        });
    }

    [Fact]
    public async Task Input_OptionChangedFromThePreset_IsMarkedEditedAndUndoRestoresIt()
    {
        await AddDataSetAsync("demo");
        var cut = RenderAt("?preset=quick");
        cut.WaitForAssertion(() => Assert.Equal("5", Input(cut, "epochs")));

        cut.Find("[data-option='epochs'] input").Input("8");

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("option-edited", cut.Find("[data-option='epochs']").ClassList);
            Assert.Contains("1 option differs from the quick preset: Epochs", cut.Find(".newrun-edited").TextContent);
        });
        cut.FindAll(".newrun-edited button").Single().Click();
        cut.WaitForAssertion(() => Assert.Equal("5", Input(cut, "epochs")));
    }

    [Theory]
    [InlineData("batchSize", "1", "must be at least 2: batch normalisation needs two images per batch")]
    [InlineData("epochs", "0", "must be from 1 to 1,000, not 0")]
    [InlineData("batchSize", "50", "50 is larger than the 16 training images of 'demo'")]
    public async Task Input_InvalidValue_ShowsTheMessageUnderItsFieldAndRefusesToQueue(string option, string value, string message)
    {
        await AddDataSetAsync("demo");
        var cut = Render<NewRunPage>();
        cut.WaitForAssertion(() => Assert.False(QueueButton(cut).HasAttribute("disabled")));

        cut.Find($"[data-option='{option}'] input").Input(value);

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(message, cut.Find($"[data-option='{option}'] .mud-input-helper-text").TextContent.Trim());
            Assert.Contains("mud-input-error", cut.Find($"[data-option='{option}'] .mud-input-helper-text").ParentElement!.ParentElement!.ClassList);
            Assert.True(QueueButton(cut).HasAttribute("disabled"));
            Assert.Contains("to queue", cut.Find(".newrun-problems").TextContent);
        });
        // The value stays as typed, to be corrected.
        Assert.Equal(value, Input(cut, option));
        await using var db = await Seed.Factory.CreateDbContextAsync();
        Assert.Equal(0, await db.Runs.CountAsync());
    }

    [Fact]
    public async Task Input_NameWithABidiOverride_ShowsTheMessageUnderTheNameAndRefusesToQueue()
    {
        await AddDataSetAsync("demo");
        var cut = Render<NewRunPage>();
        cut.WaitForAssertion(() => Assert.False(QueueButton(cut).HasAttribute("disabled")));

        cut.Find("[data-field='name'] input").Input("invoice\u202Efdp.exe");

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("must not hold bidirectional override characters (found U+202E at position 8)",
                cut.Find("[data-field='name'] .mud-input-helper-text").TextContent);
            Assert.True(QueueButton(cut).HasAttribute("disabled"));
        });
        await using var db = await Seed.Factory.CreateDbContextAsync();
        Assert.Equal(0, await db.Runs.CountAsync());
    }

    [Fact]
    public async Task Blur_InvalidField_KeepsItsMessageUntilTheValueIsCorrected()
    {
        await AddDataSetAsync("demo");
        var cut = Render<NewRunPage>();
        cut.WaitForAssertion(() => Assert.False(QueueButton(cut).HasAttribute("disabled")));
        var input = cut.Find("[data-option='batchSize'] input");

        input.Input("1");
        cut.Find("[data-option='batchSize'] input").Blur();

        // MudBlazor validates a field on blur: the message must survive it.
        cut.WaitForAssertion(() => Assert.Contains("must be at least 2", cut.Find("[data-option='batchSize'] .mud-input-helper-text").TextContent));
        cut.Find("[data-option='batchSize'] input").Input("8");
        cut.Find("[data-option='batchSize'] input").Blur();
        cut.WaitForAssertion(() =>
        {
            Assert.DoesNotContain("must be", cut.Find("[data-option='batchSize']").TextContent);
            Assert.False(QueueButton(cut).HasAttribute("disabled"));
        });
    }

    [Fact]
    public async Task Input_LearningRateBelowTheEndRate_ShowsTheMessageUnderTheEndRateAndClearsItWhenRaised()
    {
        await AddDataSetAsync("demo");
        var cut = Render<NewRunPage>();
        cut.WaitForAssertion(() => Assert.False(QueueButton(cut).HasAttribute("disabled")));

        cut.Find("[data-option='learningRate'] input").Input("0.0001");
        cut.WaitForAssertion(() => Assert.Contains("must be from 0 to the starting rate (0.0001), not 0.001",
            cut.Find("[data-option='endLearningRate'] .mud-input-helper-text").TextContent));
        cut.Find("[data-option='learningRate'] input").Input("0.01");

        cut.WaitForAssertion(() => Assert.DoesNotContain("must be", cut.Find("[data-option='endLearningRate']").TextContent));
    }

    [Fact]
    public async Task Queue_ValidForm_StoresTheRunWithTheFormsOptionsAndOpensItsPage()
    {
        await AddDataSetAsync("demo");
        var cut = RenderAt("?preset=quick");
        cut.WaitForAssertion(() => Assert.Equal("5", Input(cut, "epochs")));
        cut.Find("[data-option='epochs'] input").Input("3");
        cut.Find("[data-option='learningRate'] input").Input("0.01");
        cut.Find("[data-field='name'] input").Input("my first run");
        cut.Find("[data-field='tags'] input").Input("a, b, a");

        cut.WaitForAssertion(() => Assert.False(QueueButton(cut).HasAttribute("disabled")));
        QueueButton(cut).Click();

        var navigation = Services.GetRequiredService<NavigationManager>();
        cut.WaitForAssertion(() => Assert.Matches(@"/runs/\d+$", navigation.Uri));
        await using var db = await Seed.Factory.CreateDbContextAsync();
        var run = await db.Runs.SingleAsync();
        Assert.EndsWith($"/runs/{run.Id}", navigation.Uri);
        Assert.Equal("my first run", run.Name);
        Assert.Equal("a,b", run.Tags);
        Assert.Equal(RunStatus.Queued, run.Status);
        // The data set has no validation folder, so the run holds out a fifth, as the API would.
        Assert.Equal(TrainingPresets.Quick with { Epochs = 3, LearningRate = 0.01, Holdout = 0.2 }, run.Options);
    }

    [Fact]
    public async Task Render_FromExistingRun_FillsOptionsDataSetAndTagsFromIt()
    {
        await AddDataSetAsync("other");
        var demo = await AddDataSetAsync("demo");
        var source = RunListSeed.NewRun(demo, "baseline r34", 1, tags: "sweep,r34", notes: "first try");
        source.Options = TrainingPresets.Quick with { Depth = 34, Epochs = 7, Schedule = LrScheduleKind.Step, StepSize = 3 };
        await Seed.AddAsync(source);

        var cut = RenderAt($"?from={source.Id}");

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("copy of baseline r34", Field(cut, "name"));
            Assert.Equal("sweep,r34", Field(cut, "tags"));
            Assert.Contains("ResNet-34", cut.Find("[data-option='depth']").TextContent);
            Assert.Contains("step", cut.Find("[data-option='schedule']").TextContent);
            Assert.Equal("7", Input(cut, "epochs"));
            Assert.Equal("3", Input(cut, "stepSize"));
            Assert.Equal("true", DataSet(cut, "demo").GetAttribute("aria-checked"));
            Assert.Empty(cut.FindAll("[data-preset][aria-checked='true']"));
            Assert.Contains($"Filled from run {source.Id} (\u201cbaseline r34\u201d)", cut.Find(".newrun-edited").TextContent);
        });
    }

    [Fact]
    public async Task Navigate_FromACloneToAFreshForm_StartsOverFromTheReferenceRecipe()
    {
        var source = RunListSeed.NewRun(await AddDataSetAsync("demo"), "baseline", 1, tags: "t1");
        await Seed.AddAsync(source);
        var cut = RenderAt($"?from={source.Id}");
        cut.WaitForAssertion(() => Assert.Equal("copy of baseline", Field(cut, "name")));

        Services.GetRequiredService<NavigationManager>().NavigateTo("/runs/new");

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("", Field(cut, "name") ?? "");
            Assert.Equal("", Field(cut, "tags") ?? "");
            Assert.Equal("true", cut.Find("[data-preset='reference']").GetAttribute("aria-checked"));
            Assert.Equal("224", Input(cut, "imageSize"));
        });
    }

    [Fact]
    public async Task Clone_OnTheRunsPage_OpensTheFormForThatRun()
    {
        var source = RunListSeed.NewRun(await AddDataSetAsync("demo"), "baseline", 1);
        await Seed.AddAsync(source);
        var page = Render<PalmLab.Web.Components.Pages.Runs.RunDetailPage>(p => p.Add(x => x.Id, source.Id));
        page.WaitForAssertion(() => Assert.Contains(page.FindAll("button"), b => b.TextContent.Trim() == "Clone"));

        page.FindAll("button").Single(b => b.TextContent.Trim() == "Clone").Click();

        Assert.EndsWith($"/runs/new?from={source.Id}", Services.GetRequiredService<NavigationManager>().Uri);
        await using var db = await Seed.Factory.CreateDbContextAsync();
        Assert.Equal(1, await db.Runs.CountAsync());
    }

    [Fact]
    public void Render_FromUnknownRun_SaysSoAndStartsFromTheReferenceRecipe()
    {
        var cut = RenderAt("?from=404");

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("Run 404 does not exist", cut.Find(".newrun-notice").TextContent);
            Assert.Equal("true", cut.Find("[data-preset='reference']").GetAttribute("aria-checked"));
            Assert.Equal("224", Input(cut, "imageSize"));
        });
    }

    [Fact]
    public async Task LrChart_WarmupTyped_RedrawsAfterTheDebounceRisingThenDecaying()
    {
        await AddDataSetAsync("demo");
        // Deeper: cosine decay, batch 10; 16 training images after the holdout make batches of 10 and 6: 2 steps an epoch, 40 in all.
        var cut = RenderAt("?preset=deeper");
        cut.WaitForAssertion(() => Assert.Equal(40, Chart(cut).Count));
        var before = Chart(cut);

        cut.Find("[data-option='warmupSteps'] input").Input("5");
        cut.WaitForAssertion(() => Assert.Equal("5", Input(cut, "warmupSteps")));
        Assert.Same(before, Chart(cut));
        Services.GetRequiredService<FakeTimeProvider>().Advance(LrChart.Debounce);

        cut.WaitForAssertion(() => Assert.NotSame(before, Chart(cut)));
        var rates = Chart(cut).Select(p => p.Y).ToList();
        Assert.Equal(Enumerable.Range(1, 40).Select(s => (double)s), Chart(cut).Select(p => p.X));
        // The cosine from 0.005 to 0.001 over the 40 steps, scaled by a linear warm-up over the first 5 (which rise).
        var expected = Enumerable.Range(0, 40).Select(s => (0.001 + 0.004 * (1 + Math.Cos(Math.PI * s / 40)) / 2) * Math.Min(1, (s + 1) / 5.0));
        Assert.Equal(expected, rates, new ToleranceComparer(1e-12));
        Assert.All(rates.Take(4).Zip(rates.Skip(1)), pair => Assert.True(pair.Second > pair.First, $"{pair.Second} after {pair.First} does not rise"));
        Assert.All(rates.Skip(5).Zip(rates.Skip(6)), pair => Assert.True(pair.Second < pair.First, $"{pair.Second} after {pair.First} does not fall"));
        Assert.InRange(rates[^1], 0.001, 0.00101);
        Assert.Contains("40 steps: 20 epochs × 2 batches (16 training images)", cut.Find(".newrun-steps").TextContent);
    }

    [Fact]
    public void PresetPicker_Presets_AreTheEnginesPresets()
    {
        Assert.Equal(TrainingPresets.All.Keys.Order(), PresetPicker.Presets.Select(p => p.Key).Order());
    }

    protected override void AddServices(IServiceCollection services)
    {
        base.AddServices(services);
        // The page's debounce and the run service share the base's fake clock; tests move it.
        services.AddSingleton(sp => (FakeTimeProvider)sp.GetRequiredService<TimeProvider>());
    }

    private async Task<DataSet> AddDataSetAsync(string name, int validation = 0)
    {
        var dataSet = Seed.NewDataSet(name);
        dataSet.TrainImages = 20;
        dataSet.ValidationImages = validation;
        dataSet.ValidDir = validation > 0 ? Path.Combine(dataSet.TrainDir, "valid") : null;
        dataSet.ReportJson = JsonSerializer.Serialize(
            new DataSetReport(20, 8, 2, 10, validation, validation / 2, validation / 2, [], "hash", []), DataSetJson.Options);
        await using var db = await Seed.Factory.CreateDbContextAsync();
        db.DataSets.Add(dataSet);
        await db.SaveChangesAsync();
        return dataSet;
    }

    // The page reads "from" and "preset" from the address, as the router supplies them.
    [Theory]
    [InlineData("abc")]
    [InlineData("99999999999")]
    [InlineData("-3")]
    public async Task Render_FromIsNotARunId_SaysSoAndStartsFromTheReferenceRecipe(string from)
    {
        await AddDataSetAsync("demo");

        var cut = RenderAt("?from=" + from);

        cut.WaitForAssertion(() =>
        {
            Assert.Contains($"?from={from} is not a run id (a whole number, as in ?from=3), so the form starts from the reference recipe.",
                cut.Find(".newrun-notice").TextContent);
            Assert.Equal("224", Input(cut, "imageSize"));
        });
    }

    private IRenderedComponent<NewRunPage> RenderAt(string query)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/runs/new" + query);
        return Render<NewRunPage>();
    }

    private static IReadOnlyList<ChartPoint> Chart(IRenderedComponent<NewRunPage> cut) =>
        cut.FindComponent<LrChart>().FindComponent<ApexChart>().Instance.Series.SingleOrDefault()?.Points ?? [];

    private static AngleSharp.Dom.IElement QueueButton(IRenderedComponent<NewRunPage> cut) =>
        cut.FindAll("button").Single(b => b.TextContent.Contains("Queue run"));

    private static AngleSharp.Dom.IElement DataSet(IRenderedComponent<NewRunPage> cut, string name) => cut.Find($"[data-dataset='{name}']");

    private static string? Input(IRenderedComponent<NewRunPage> cut, string option) => cut.Find($"[data-option='{option}'] input").GetAttribute("value") ?? "";

    private static string? Field(IRenderedComponent<NewRunPage> cut, string field) => cut.Find($"[data-field='{field}'] input").GetAttribute("value");

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
