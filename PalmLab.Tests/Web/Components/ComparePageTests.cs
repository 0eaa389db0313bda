using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PalmLab.Engine.Training;
using PalmLab.Web.Components.Pages.Compare;
using PalmLab.Web.Components.Shared;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Tests.Web.Components;

public sealed class ComparePageTests : RunPagesTestBase
{
    private readonly BunitJSModuleInterop _charts;

    public ComparePageTests() => _charts = JSInterop.SetupModule(ApexChart.ModulePath);

    [Fact]
    public async Task Render_RunsDifferingInSeedAndRate_ShowsOnlyThoseOptionsUntilShowAllIsOn()
    {
        var (a, b) = await AddPairAsync();

        var cut = Open($"{a.Id},{b.Id}");

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(["learningRate", "seed"], OptionNames(cut));
            var seed = cut.Find("tr[data-option='seed']");
            Assert.Equal(["0", "7"], seed.QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
            Assert.Equal(["0.01", "0.002"], cut.FindAll("tr[data-option='learningRate'] td").Select(td => td.TextContent.Trim()));
            Assert.Contains($"2 of {TrainingOption.All.Count + 1} differ", cut.Find(".compare-options-count").TextContent);
        });

        cut.Find(".compare-show-all input").Change(true);

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(["dataSet", .. TrainingOption.All.Select(o => o.JsonName)], OptionNames(cut));
            Assert.Equal(["learningRate", "seed"], cut.FindAll("tr.compare-differs").Select(r => r.GetAttribute("data-option")));
            Assert.Equal(["18", "18"], cut.FindAll("tr[data-option='depth'] td").Select(td => td.TextContent.Trim()));
        });
    }

    [Fact]
    public async Task Render_SameOptions_SaysSoInsteadOfAnEmptyTable()
    {
        var demo = Seed.NewDataSet("demo");
        var a = RunListSeed.NewRun(demo, "a", 1);
        var b = RunListSeed.NewRun(demo, "b", 2);
        await Seed.AddAsync(a, b);

        var cut = Open($"{a.Id},{b.Id}");

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("Every run has the same options", cut.Find(".compare-same").TextContent);
            Assert.Empty(cut.FindAll("tr[data-option]"));
        });
    }

    [Fact]
    public async Task Render_TwoRuns_MarksTheBestOfEachRowLowerBeingBetterForLoss()
    {
        // a: better accuracy; b: better AUC; validation loss: b's last epoch is lower, a's first epoch is the lowest.
        var (a, b) = await AddPairAsync();

        var cut = Open($"{a.Id},{b.Id}");

        cut.WaitForAssertion(() =>
        {
            Assert.Equal([true, false], Best(cut, "accuracy-final"));
            Assert.Equal([false, true], Best(cut, "auc-final"));
            Assert.Equal([false, true], Best(cut, "loss-final"));
            Assert.Equal([true, false], Best(cut, "loss-best"));
            Assert.Equal(["0.500", "0.400"], Cells(cut, "loss-final"));
            Assert.Equal(["0.300", "0.400"], Cells(cut, "loss-best"));
            Assert.Equal([false, false], Best(cut, "epochs"));
            Assert.Single(cut.FindAll("tr[data-metric='loss-best'] td.compare-best .compare-best-icon"));
        });
    }

    [Fact]
    public async Task Render_QueuedRunBesideACompletedOne_ShowsDashesAndMarksNothingAgainstIt()
    {
        var (a, _) = await AddPairAsync();
        var queued = RunListSeed.NewRun(Seed.NewDataSet("other"), "waiting", 9, RunStatus.Queued);
        await Seed.AddAsync(queued);

        var cut = Open($"{a.Id},{queued.Id}");

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(["0.800", "—"], Cells(cut, "accuracy-final"));
            Assert.Equal(["1 min 00 s", "—"], Cells(cut, "duration"));
            Assert.Empty(cut.FindAll("td.compare-best"));
            Assert.Equal(["Completed", "Queued"], cut.FindAll(".compare-chip .status-chip").Select(c => c.GetAttribute("data-status")));
        });
    }

    [Fact]
    public async Task Render_ThreeRuns_DrawsOneSeriesPerRunInTheirOrderOnEveryChart()
    {
        var (a, b) = await AddPairAsync();
        var c = RunListSeed.NewRun(Seed.NewDataSet("other"), "third", 9, RunStatus.Queued);
        await Seed.AddAsync(c);

        var cut = Open($"{b.Id},{c.Id},{a.Id}");

        cut.WaitForAssertion(() =>
        {
            var configs = _charts.Invocations["create"].Select(i => Assert.IsType<ChartConfig>(i.Arguments[1])).ToList();
            Assert.Equal(4, configs.Count);
            Assert.All(configs, config => Assert.Equal([$"#{b.Id} b", $"#{c.Id} third", $"#{a.Id} a"], config.Series!.Select(s => s.Name)));
            var loss = configs.Single(x => x.YAxisTitle == "Loss");
            Assert.Equal("Epoch", loss.XAxisTitle);
            // a's two epochs of four batches each end at epoch 2.0 on the shared axis.
            Assert.Equal(2.0, loss.Series![2].Data[^1].X);
            // b's AUC per epoch, at epochs 1 and 2.
            Assert.Contains(configs, x => x.Series![0].Data.SequenceEqual([new ChartPointData(1, 0.85), new ChartPointData(2, 0.95)]));
        });
    }

    [Fact]
    public async Task RemoveChip_ThreeRuns_LinksToTheComparisonWithoutThatRun()
    {
        var (a, b) = await AddPairAsync();
        var c = RunListSeed.NewRun(Seed.NewDataSet("other"), "third", 9, RunStatus.Queued);
        await Seed.AddAsync(c);

        var cut = Open($"{a.Id},{b.Id},{c.Id}");

        cut.WaitForAssertion(() =>
        {
            var remove = cut.Find($".compare-chip[data-run='{b.Id}'] a[aria-label^='Remove']");
            Assert.Equal($"/compare?runs={a.Id},{c.Id}", remove.GetAttribute("href"));
            Assert.Equal($"/runs/{b.Id}", cut.Find($".compare-chip[data-run='{b.Id}'] .compare-chip-name").GetAttribute("href"));
        });
    }

    [Theory]
    [InlineData(null, "Pick 2 to 10 runs to compare")]
    [InlineData("", "Pick 2 to 10 runs to compare")]
    [InlineData("1,abc", "\u201cabc\u201d is not a run id")]
    [InlineData("1,-2,x", "\u201c-2\u201d, \u201cx\u201d are not run ids")]
    [InlineData("99999999999,1", "\u201c99999999999\u201d is not a run id")]
    [InlineData("5", "One run is not a comparison")]
    [InlineData("5,5", "One run is not a comparison")]
    [InlineData("1,2,3,4,5,6,7,8,9,10,11", "11 runs are too many to compare")]
    [InlineData("41,42", "Runs 41 and 42 do not exist")]
    public void Render_BadChoice_SaysWhatIsWrongWithALinkToTheRunsPage(string? runs, string message)
    {
        var cut = Open(runs);

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(message, cut.Find(".compare-problem h1").TextContent.Trim());
            Assert.Equal("/", cut.Find(".compare-problem a").GetAttribute("href"));
            Assert.Empty(cut.FindAll(".compare-metrics"));
        });
    }

    [Fact]
    public async Task Render_OneOfThreeUnknown_NamesItAndComparesTheOtherTwo()
    {
        var (a, b) = await AddPairAsync();

        var cut = Open($"{a.Id},77,{b.Id}");

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("Run 77 does not exist: comparing the other 2.", cut.Find(".compare-unknown").TextContent);
            Assert.Equal(2, cut.FindAll(".compare-chip").Count);
        });
    }

    [Fact]
    public async Task Render_OneKnownOneUnknown_NamesTheUnknownAndSaysOneIsNotEnough()
    {
        var (a, _) = await AddPairAsync();

        var cut = Open($"{a.Id},77");

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("Run 77 does not exist", cut.Find(".compare-problem h1").TextContent.Trim());
            Assert.Contains("That leaves one run", cut.Find(".compare-problem").TextContent);
        });
    }

    [Fact]
    public async Task EpochCompleted_ComparedRunTraining_ReloadsOnceTheSecondSinceTheLastLoadHasPassed()
    {
        var (a, b) = await AddPairAsync();
        var cut = Open($"{a.Id},{b.Id}");
        cut.WaitForAssertion(() => Assert.Equal(["2 of 5", "2 of 5"], Cells(cut, "epochs")));
        await using (var db = await Seed.Factory.CreateDbContextAsync())
        {
            var third = Epoch(3, accuracy: 0.9, auc: 0.97, loss: 0.2);
            third.RunId = b.Id;
            db.EpochMetrics.Add(third);
            await db.SaveChangesAsync();
        }

        var notifier = Services.GetRequiredService<RunNotifier>();
        await notifier.EpochCompletedAsync(b.Id, new EpochResult(3, 5, 0.3, 0.2, null, 0.01, 30, 10, false));
        await notifier.EpochCompletedAsync(b.Id, new EpochResult(3, 5, 0.3, 0.2, null, 0.01, 30, 10, false));
        Assert.Equal(["2 of 5", "2 of 5"], Cells(cut, "epochs"));
        ((FakeTimeProvider)Services.GetRequiredService<TimeProvider>()).Advance(TimeSpan.FromSeconds(1));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(["2 of 5", "3 of 5"], Cells(cut, "epochs"));
            Assert.Equal([false, true], Best(cut, "accuracy-final"));
        });
    }

    private IRenderedComponent<ComparePage> Open(string? runs)
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo(runs is null ? "/compare" : navigation.GetUriWithQueryParameter("runs", runs));
        return Render<ComparePage>();
    }

    private static List<string?> OptionNames(IRenderedComponent<ComparePage> cut) =>
        cut.FindAll("tr[data-option]").Select(r => r.GetAttribute("data-option")).ToList();

    private static List<bool> Best(IRenderedComponent<ComparePage> cut, string metric) =>
        cut.FindAll($"tr[data-metric='{metric}'] td").Select(td => td.ClassList.Contains("compare-best")).ToList();

    private static List<string> Cells(IRenderedComponent<ComparePage> cut, string metric) =>
        cut.FindAll($"tr[data-metric='{metric}'] td").Select(td => td.TextContent.Trim()).ToList();

    private async Task<(Run A, Run B)> AddPairAsync()
    {
        var demo = Seed.NewDataSet("demo");
        var a = RunListSeed.NewRun(demo, "a", 1);
        a.Options = a.Options with { LearningRate = 0.01, Seed = 0 };
        a.EpochMetrics = [Epoch(1, accuracy: 0.7, auc: 0.80, loss: 0.3), Epoch(2, accuracy: 0.8, auc: 0.90, loss: 0.5)];
        var b = RunListSeed.NewRun(demo, "b", 2);
        b.Options = b.Options with { LearningRate = 0.002, Seed = 7 };
        b.EpochMetrics = [Epoch(1, accuracy: 0.6, auc: 0.85, loss: 0.45), Epoch(2, accuracy: 0.7, auc: 0.95, loss: 0.4)];
        await Seed.AddAsync(a, b);
        await AddBatchesAsync(a.Id, epochs: 2, perEpoch: 4);
        await AddBatchesAsync(b.Id, epochs: 2, perEpoch: 8);
        return (a, b);
    }

    private async Task AddBatchesAsync(int runId, int epochs, int perEpoch)
    {
        await using var db = await Seed.Factory.CreateDbContextAsync();
        db.BatchLosses.AddRange(Enumerable.Range(1, epochs * perEpoch).Select(step => new BatchLoss
        {
            RunId = runId,
            Step = step,
            Epoch = (step - 1) / perEpoch + 1,
            Loss = 1.0 / step,
            LearningRate = 0.01,
        }));
        await db.SaveChangesAsync();
    }

    private static EpochMetric Epoch(int epoch, double accuracy, double auc, double loss) => new()
    {
        Epoch = epoch,
        TrainLoss = loss + 0.1,
        ValidationLoss = loss,
        Accuracy = accuracy,
        Auc = auc,
        Sensitivity = accuracy,
        Specificity = accuracy,
        TrueNegatives = 40,
        FalsePositives = 10,
        FalseNegatives = 10,
        TruePositives = 40,
        LearningRate = 0.01,
        Seconds = 30,
        ImagesPerSecond = 10 * epoch,
    };
}
