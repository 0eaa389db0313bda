using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using PalmLab.Web.Components.Pages.Runs;
using PalmLab.Web.Data;

namespace PalmLab.Tests.Web.Components;

public sealed class RunsPageTests : RunPagesTestBase
{
    [Fact]
    public void Render_NoRuns_SaysToStartOneFromAPreset()
    {
        var cut = Render<RunsPage>();

        cut.WaitForAssertion(() => Assert.Contains("No runs yet: start one from a preset", cut.Find(".runs-empty").TextContent));
        Assert.Equal("/runs/new?preset=quick", cut.Find(".runs-empty a").GetAttribute("href"));
    }

    [Fact]
    public async Task Render_Runs_ShowsARowPerRunWithItsStatusChip()
    {
        var demo = Seed.NewDataSet("demo");
        await Seed.AddAsync(
            RunListSeed.NewRun(demo, "first", 1, RunStatus.Completed, tags: "baseline", epochs: [(0.91, 0.8)]),
            RunListSeed.NewRun(demo, "second", 2, RunStatus.Failed),
            RunListSeed.NewRun(demo, "third", 3, RunStatus.Running, epochs: [(0.7, 0.6)]));

        var cut = Render<RunsPage>();

        cut.WaitForAssertion(() =>
        {
            var rows = cut.FindAll("tbody tr.mud-table-row");
            Assert.Equal(3, rows.Count);
            Assert.Equal(["Running", "Failed", "Completed"], cut.FindAll(".status-chip").Select(c => c.GetAttribute("data-status")));
            Assert.Contains("third", rows[0].TextContent);
            Assert.Contains("1/5", rows[0].QuerySelector(".runs-progress")!.TextContent);
            Assert.Contains("0.910", rows[2].TextContent);
            Assert.Equal(2, rows[2].QuerySelectorAll(".metric-best").Length);
            Assert.Empty(rows[0].QuerySelectorAll(".metric-best"));
            Assert.Contains("baseline", rows[2].TextContent);
            Assert.Equal("1 h ago", rows[0].QuerySelector("time")!.TextContent);
        });
    }

    [Fact]
    public async Task Render_SlurmRuns_AreMarkedWithTheirJob()
    {
        var demo = Seed.NewDataSet("demo");
        var submitted = RunListSeed.NewRun(demo, "on-the-cluster", 1, RunStatus.Running);
        submitted.Executor = RunExecutors.Slurm;
        submitted.JobId = "4242";
        var waiting = RunListSeed.NewRun(demo, "not-submitted", 2, RunStatus.Queued);
        waiting.Executor = RunExecutors.Slurm;
        await Seed.AddAsync(submitted, waiting, RunListSeed.NewRun(demo, "here", 3));

        var cut = Render<RunsPage>();

        cut.WaitForAssertion(() =>
        {
            var rows = cut.FindAll("tbody tr.mud-table-row");
            Assert.Equal(3, rows.Count);
            Assert.Empty(rows[0].QuerySelectorAll(".runs-executor"));
            Assert.Equal("To be trained by Slurm; not submitted yet", rows[1].QuerySelector(".runs-executor")!.GetAttribute("title"));
            Assert.Equal("Slurm", rows[2].QuerySelector(".runs-executor")!.TextContent);
            Assert.Equal("Trained by Slurm job 4242", rows[2].QuerySelector(".runs-executor")!.GetAttribute("title"));
        });
    }

    [Fact]
    public async Task Render_RunningRun_ShowsItsEpochBatchAndTimeLeft()
    {
        var demo = Seed.NewDataSet("demo");
        demo.TrainImages = 40;
        var run = RunListSeed.NewRun(demo, "training", 60, RunStatus.Running, epochs: [(0.7, 0.6), (0.8, 0.7)]);
        // The quick preset's batches of 16 over 40 images: 16, 16 and 8, so 3 a epoch and 15 in the run's 5 epochs.
        await Seed.AddAsync(run);
        await using (var db = await Seed.Factory.CreateDbContextAsync())
        {
            db.BatchLosses.AddRange(Enumerable.Range(1, 7).Select(step =>
                new BatchLoss { RunId = run.Id, Step = step, Epoch = (step - 1) / 3 + 1, Loss = 0.5, LearningRate = 0.01 }));
            await db.SaveChangesAsync();
        }

        var cut = Render<RunsPage>();

        // Started an hour before the clock, 7 of 15 steps done: 8 more at 1/7 h each.
        cut.WaitForAssertion(() => Assert.Equal(
            "epoch 3/5 · batch 1/3 · " + PalmLab.Web.Components.Shared.TimeText.Duration(TimeSpan.FromHours(8.0 / 7)) + " left",
            cut.Find(".runs-progress span").TextContent));
        // 7 of 15 steps: the bar is drawn 47% full, shifted left by the rest.
        Assert.Contains("translateX(-53", cut.Find(".runs-progress .mud-progress-linear-bar").GetAttribute("style"));
    }

    [Fact]
    public async Task Render_Runs_LinksEachNameToItsDetailPage()
    {
        var demo = Seed.NewDataSet("demo");
        await Seed.AddAsync(RunListSeed.NewRun(demo, "first", 1), RunListSeed.NewRun(demo, "second", 2));

        var cut = Render<RunsPage>();

        cut.WaitForAssertion(() =>
        {
            var links = cut.FindAll(".runs-name a");
            Assert.Equal(["second", "first"], links.Select(a => a.TextContent.Trim()));
            Assert.Equal(["/runs/2", "/runs/1"], links.Select(a => a.GetAttribute("href")));
        });
    }

    [Fact]
    public async Task Render_FiltersInTheUrl_ShowsOnlyMatchingRunsAndTheClearButton()
    {
        var demo = Seed.NewDataSet("demo");
        await Seed.AddAsync(
            RunListSeed.NewRun(demo, "deep", 1, depth: 50, tags: "x"),
            RunListSeed.NewRun(demo, "shallow", 2, depth: 18, tags: "x"),
            RunListSeed.NewRun(demo, "deep untagged", 3, depth: 50));
        Services.GetRequiredService<NavigationManager>().NavigateTo("/?depth=50&tag=x&status=Completed");

        var cut = Render<RunsPage>();

        cut.WaitForAssertion(() =>
        {
            var row = Assert.Single(cut.FindAll("tbody tr.mud-table-row"));
            Assert.Contains("deep", row.TextContent);
            Assert.Contains(cut.FindAll("button"), b => b.TextContent.Contains("Clear filters"));
        });
    }

    [Theory]
    [InlineData("/?desc=1")]
    [InlineData("/?depth=abc&page=abc")]
    [InlineData("/?page=99999999999&desc=maybe&status=7")]
    public async Task Render_MalformedValuesInTheUrl_AreIgnored(string address)
    {
        var demo = Seed.NewDataSet("demo");
        await Seed.AddAsync(RunListSeed.NewRun(demo, "first", 1), RunListSeed.NewRun(demo, "second", 2));
        Services.GetRequiredService<NavigationManager>().NavigateTo(address);

        var cut = Render<RunsPage>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("tbody tr.mud-table-row").Count));
    }

    [Fact]
    public async Task Render_FiltersMatchNothing_SaysSoWithAClearButton()
    {
        await Seed.AddAsync(RunListSeed.NewRun(Seed.NewDataSet("demo"), "only", 1));
        Services.GetRequiredService<NavigationManager>().NavigateTo("/?q=nothing-like-this");

        var cut = Render<RunsPage>();

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("No runs match these filters", cut.Find(".runs-empty").TextContent);
            Assert.NotNull(cut.Find(".runs-empty button"));
        });
    }
}
