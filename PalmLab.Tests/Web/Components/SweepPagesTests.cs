using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using PalmLab.Engine.Sweeps;
using PalmLab.Engine.Training;
using PalmLab.Web.Components.Pages.Sweeps;
using PalmLab.Web.Data;
using PalmLab.Web.Sweeps;

namespace PalmLab.Tests.Web.Components;

public sealed class SweepPagesTests : RunPagesTestBase
{
    protected override void AddServices(IServiceCollection services)
    {
        base.AddServices(services);
        services.AddSingleton<SweepService>();
    }

    [Fact]
    public void List_NoSweeps_ShowsTheEmptyStateThatStartsOne()
    {
        var cut = Render<SweepsPage>();

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("No sweeps yet", cut.Find(".sw-empty").TextContent);
            Assert.Contains(cut.FindAll("a"), a => a.GetAttribute("href") == "/sweeps/new?preset=quick");
        });
    }

    [Fact]
    public async Task List_ASweep_ShowsItsOptionsProgressBestMetricAndStatus()
    {
        var sweepId = await SeedSweepAsync();

        var cut = Render<SweepsPage>();

        cut.WaitForAssertion(() =>
        {
            var cells = cut.Find("tbody tr.mud-table-row").QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToArray();
            Assert.Equal("lr and depth", cells[0]);
            Assert.Equal("clean", cells[1]);
            Assert.Equal("learningRate, depth", cells[2]);
            Assert.Equal("grid", cells[3]);
            Assert.StartsWith("4 / 5", cells[4]);
            Assert.Equal("AUC 0.950", cells[5]);
            Assert.Equal("Running", cells[6]);
            Assert.Equal($"/sweeps/{sweepId}", cut.Find("tbody tr a").GetAttribute("href"));
        });
    }

    [Fact]
    public async Task Detail_FinishedAndStoppedTrials_AreSortedByTheMetricWithTheBestMarkedAndTheStopReasonShown()
    {
        var sweepId = await SeedSweepAsync();

        var cut = Render<SweepDetailPage>(p => p.Add(x => x.Id, sweepId));

        cut.WaitForAssertion(() =>
        {
            var rows = cut.FindAll("tbody tr.mud-table-row");
            string[] Cells(int row) => rows[row].QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToArray();
            Assert.Equal(["learningRate", "depth", "AUC"], cut.FindAll("thead th").Select(th => th.TextContent.Trim()).Skip(3).Take(3));
            Assert.Equal(["0.950", "0.900", "0.850", "0.700", "—"], rows.Select(r => r.QuerySelectorAll("td")[5].TextContent.Trim()));
            Assert.Equal(["2", "Completed", "0.01", "18"], Cells(0).Where((_, i) => i != 1).Take(4));
            Assert.Equal("trial 2", rows[0].QuerySelector("td a")!.TextContent.Trim());
            Assert.Contains("sw-best-row", rows[0].ClassName);
            Assert.Single(cut.FindAll("tr.sw-best-row"));
            Assert.Contains("Stopped early: AUC 0.7 below the median 0.9", Cells(3)[2]);
            Assert.Contains("4 of 5 trials ended", cut.Markup.Replace("<b class=\"sw-num\">", "").Replace("</b>", ""));
            Assert.Equal(2, cut.FindAll(".palmlab-chart").Count);
            Assert.NotNull(cut.Find("button:not([disabled])[title='Save the options of trial 2']"));
        });
    }

    [Fact]
    public async Task Detail_UnknownSweep_SaysSoAndLinksToTheList()
    {
        await SeedSweepAsync();

        var cut = Render<SweepDetailPage>(p => p.Add(x => x.Id, 99));

        cut.WaitForAssertion(() => Assert.Contains("Sweep 99 does not exist", cut.Find(".mud-alert").TextContent));
    }

    [Fact]
    public async Task NewSweep_TypingValues_ShowsTheTrialCountOrTheRefusalNamingTheOption()
    {
        var cut = await OpenNewSweepAsync("?preset=quick");
        var depth = cut.Find("[data-option='depth']");
        depth.QuerySelectorAll("button").Single(b => b.TextContent.Trim() == "List").Click();
        cut.WaitForAssertion(() => cut.Find("[data-option='depth'] input").Input("18, 34, 50"));

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("1: depth=18", cut.Find(".sw-summary").TextContent);
            Assert.Equal("3", cut.Find(".sw-trial-count").TextContent.Trim());
        });
        cut.Find("[data-option='depth'] input").Input("18, 19");
        cut.WaitForAssertion(() =>
        {
            Assert.Contains("space.depth", cut.Find(".sw-summary").TextContent);
            Assert.Contains("19 is not one of", cut.Find("[data-option='depth']").TextContent);
        });
    }

    [Fact]
    public async Task NewSweep_PresetInAnyCase_StartsFromIt()
    {
        var cut = await OpenNewSweepAsync("?preset=Quick");

        Assert.DoesNotContain("There is no preset", cut.Markup);
    }

    [Fact]
    public async Task NewSweep_FromIsNotARunId_SaysSoAndStartsFromTheReferenceRecipe()
    {
        var cut = await OpenNewSweepAsync("?from=abc");

        Assert.Contains("?from=abc is not a run id (a whole number, as in ?from=3), so the sweep starts from the reference recipe.", cut.Markup);
    }

    // The new-sweep page beside a seeded sweep, once its form is ready: nothing swept yet.
    private async Task<IRenderedComponent<NewSweepPage>> OpenNewSweepAsync(string query)
    {
        await SeedSweepAsync();
        Services.GetRequiredService<NavigationManager>().NavigateTo("/sweeps/new" + query);
        var cut = Render<NewSweepPage>();
        cut.WaitForAssertion(() => Assert.Contains("Choose the options to vary below", cut.Find(".sw-summary").TextContent));
        return cut;
    }

    // A grid over learningRate x depth on "clean": four trials ended (one stopped early), one still queued.
    private async Task<int> SeedSweepAsync()
    {
        var clean = Seed.NewDataSet("clean");
        clean.TrainImages = 100;
        await using var db = await Seed.Factory.CreateDbContextAsync();
        db.DataSets.Add(clean);
        var sweep = new Sweep
        {
            Name = "lr and depth", DataSet = clean, SpaceJson = """{"learningRate": [0.02, 0.01, 0.005], "depth": [18, 34]}""", Strategy = SweepStrategy.Grid,
            Metric = SweepMetric.Auc, TrialCount = 5, StopMinEpochs = 2, StopMinCompletedTrials = 2, Status = SweepStatus.Running, CreatedAt = RunListSeed.Start,
            BaseOptions = TrainingPresets.Quick,
        };
        db.Sweeps.Add(sweep);
        await db.SaveChangesAsync();
        Run Trial(int n, double lr, int depth, RunStatus status, params double[] aucs)
        {
            var run = RunListSeed.NewRun(clean, $"trial {n}", n, status, depth, epochs: [.. aucs.Select(a => (a, 0.8))]);
            run.Options = run.Options with { LearningRate = lr };
            run.SweepId = sweep.Id;
            run.DataSet = null;
            run.DataSetId = clean.Id;
            return run;
        }
        var stopped = Trial(4, 0.005, 18, RunStatus.Stopped, 0.6, 0.7);
        stopped.ErrorMessage = "Stopped early: AUC 0.7 below the median 0.9 of 3 finished trials at epoch 2.";
        db.Runs.AddRange(
            Trial(1, 0.02, 18, RunStatus.Completed, 0.8, 0.9),
            Trial(2, 0.01, 18, RunStatus.Completed, 0.9, 0.95),
            Trial(3, 0.02, 34, RunStatus.Completed, 0.7, 0.85),
            stopped,
            Trial(5, 0.01, 34, RunStatus.Queued));
        await db.SaveChangesAsync();
        return sweep.Id;
    }
}
