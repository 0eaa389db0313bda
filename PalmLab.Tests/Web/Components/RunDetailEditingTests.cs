using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalmLab.Web.Components.Pages.Runs;
using PalmLab.Web.Components.Shared;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Tests.Web.Components;

/// <summary>The run page's notes, tags, checkpoints, ?epoch= and its initial loss curve for a long run.</summary>
public sealed class RunDetailEditingTests : RunPagesTestBase
{
    [Fact]
    public async Task Notes_EditedAndSaved_AreStoredAndShown()
    {
        var run = await AddRunAsync(notes: "old");
        var cut = Render<RunDetailPage>(p => p.Add(x => x.Id, run.Id));
        cut.WaitForAssertion(() => cut.Find("[aria-label='Edit notes']"));

        cut.Find("[aria-label='Edit notes']").Click();
        cut.Find(".run-notes-input textarea").Input("Learning rate too high?\nTry 1e-3.");
        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Save").Click();

        cut.WaitForAssertion(() => Assert.Contains("Try 1e-3.", cut.Find(".run-notes").TextContent));
        Assert.Equal("Learning rate too high?\nTry 1e-3.", (await ReadAsync(run.Id)).Notes);
    }

    [Fact]
    public async Task Notes_TooLong_RefusedWithTheLimitAndTheTextKept()
    {
        var run = await AddRunAsync(notes: "old");
        var cut = Render<RunDetailPage>(p => p.Add(x => x.Id, run.Id));
        cut.WaitForAssertion(() => cut.Find("[aria-label='Edit notes']"));
        var tooLong = new string('n', RunMapping.MaxNotesLength + 1);

        cut.Find("[aria-label='Edit notes']").Click();
        cut.Find(".run-notes-input textarea").Input(tooLong);
        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Save").Click();

        cut.WaitForAssertion(() => Assert.Contains("Not saved: at most 20,000 characters, not 20,001", cut.Markup));
        Assert.Equal(tooLong, cut.Find(".run-notes-input textarea").GetAttribute("value") ?? cut.Find(".run-notes-input textarea").TextContent);
        Assert.Equal("old", (await ReadAsync(run.Id)).Notes);
    }

    [Fact]
    public async Task Tags_AddedAndRemoved_AreStoredTrimmed()
    {
        var run = await AddRunAsync(tags: "keep,drop");
        var cut = Render<RunDetailPage>(p => p.Add(x => x.Id, run.Id));
        cut.WaitForAssertion(() => cut.Find(".run-tag-input input"));

        cut.Find(".run-tag-input input").Input("  fresh ");
        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Add").Click();
        cut.WaitForAssertion(() => Assert.Equal("keep,drop,fresh", ReadAsync(run.Id).Result.Tags));

        cut.FindAll(".run-tags .mud-chip").Single(c => c.TextContent.Contains("drop")).QuerySelector("button, .mud-chip-close-button")!.Click();
        cut.WaitForAssertion(() => Assert.Equal("keep,fresh", ReadAsync(run.Id).Result.Tags));
        cut.WaitForAssertion(() => Assert.Equal(["keep", "fresh"], cut.FindAll(".run-tags .mud-chip").Select(c => c.TextContent.Trim())));
    }

    [Fact]
    public async Task Tags_OneTooManyOrTooLong_RefusedWithAClearMessage()
    {
        var run = await AddRunAsync(tags: string.Join(",", Enumerable.Range(1, RunMapping.MaxTags).Select(i => $"t{i}")));
        var cut = Render<RunDetailPage>(p => p.Add(x => x.Id, run.Id));
        cut.WaitForAssertion(() => cut.Find(".run-tag-input input"));

        cut.Find(".run-tag-input input").Input("one-more");
        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Add").Click();
        cut.WaitForAssertion(() => Assert.Contains("Not saved: at most 20 tags, not 21", cut.Markup));

        cut.Find(".run-tag-input input").Input("a,b");
        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Add").Click();
        cut.WaitForAssertion(() => Assert.Contains("A tag cannot contain a comma.", cut.Markup));
        Assert.Equal(RunMapping.MaxTags, (await ReadAsync(run.Id)).Tags!.Split(',').Length);
    }

    [Fact]
    public async Task Checkpoints_BestAndLast_ListedWithEpochSizeAndDownloadLinks()
    {
        var run = await AddRunAsync();
        await using (var db = await Seed.Factory.CreateDbContextAsync())
        {
            db.Checkpoints.AddRange(
                new RunCheckpoint { RunId = run.Id, Kind = CheckpointKind.Last, Epoch = 2, Path = "/x/last.ckpt", SizeBytes = 44_800_000, CreatedAt = RunListSeed.Start },
                new RunCheckpoint { RunId = run.Id, Kind = CheckpointKind.Best, Epoch = 1, Path = "/x/best.ckpt", SizeBytes = 3_000, CreatedAt = RunListSeed.Start });
            await db.SaveChangesAsync();
        }

        var cut = Render<RunDetailPage>(p => p.Add(x => x.Id, run.Id));

        cut.WaitForAssertion(() =>
        {
            var rows = cut.FindAll(".run-checkpoints tbody tr");
            Assert.Equal(["best", "last"], rows.Select(r => r.GetAttribute("data-kind")));
            Assert.Equal(["Best", "1", "2.9 KB"], rows[0].QuerySelectorAll("td").Take(3).Select(td => td.TextContent.Trim()));
            Assert.Equal(["Last", "2", "42.7 MB"], rows[1].QuerySelectorAll("td").Take(3).Select(td => td.TextContent.Trim()));
            Assert.Equal($"/api/runs/{run.Id}/checkpoints/best", rows[0].QuerySelector("a")!.GetAttribute("href"));
        });
    }

    [Fact]
    public async Task Checkpoints_None_SaysWhenOneComes()
    {
        var run = await AddRunAsync();

        var cut = Render<RunDetailPage>(p => p.Add(x => x.Id, run.Id));

        cut.WaitForAssertion(() => Assert.Contains("No checkpoint yet", cut.Markup));
    }

    [Theory]
    [InlineData("1", "1")]
    [InlineData("3", "3")]
    [InlineData("9", "2")]
    [InlineData("abc", "2")]
    [InlineData("", "2")]
    public async Task EpochQuery_PicksTheMatrixAndFallsBackToTheBestEpoch(string query, string shown)
    {
        var run = await AddRunAsync();
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/runs/{run.Id}?epoch={query}");

        var cut = Render<RunDetailPage>(p => p.Add(x => x.Id, run.Id));

        cut.WaitForAssertion(() => Assert.Equal(shown, cut.Find(".confusion").GetAttribute("data-epoch")));
    }

    [Fact]
    public async Task EpochSlider_Moved_PutsTheEpochInTheAddress()
    {
        var run = await AddRunAsync();
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo($"/runs/{run.Id}");
        var cut = Render<RunDetailPage>(p => p.Add(x => x.Id, run.Id));
        cut.WaitForAssertion(() => Assert.Equal("2", cut.Find(".confusion").GetAttribute("data-epoch")));

        cut.Find(".run-epoch-slider input[type=range]").Input("3");

        cut.WaitForAssertion(() =>
        {
            Assert.EndsWith($"/runs/{run.Id}?epoch=3", navigation.Uri);
            Assert.Equal("3", cut.Find(".confusion").GetAttribute("data-epoch"));
        });
    }

    [Fact]
    public async Task LongRun_HundredThousandBatches_OpensWithABoundedCurve()
    {
        var module = JSInterop.SetupModule(ApexChart.ModulePath);
        var run = await AddRunAsync();
        await using (var db = await Seed.Factory.CreateDbContextAsync())
        {
            // 100,000 rows in one statement: a recursive count, the loss falling with a wobble.
            await db.Database.ExecuteSqlRawAsync(
                """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
                INSERT INTO BatchLosses (RunId, Step, Epoch, Loss, LearningRate)
                SELECT {0}, i, (i - 1) / 10000 + 1, 1.0 / (1 + i / 1000.0) + (i % 7) / 100.0, 0.001 FROM n
                """, run.Id);
        }

        var cut = Render<RunDetailPage>(p => p.Add(x => x.Id, run.Id));

        cut.WaitForAssertion(() =>
        {
            var config = module.Invocations["create"].Select(i => i.Arguments[1]).OfType<ChartConfig>().Single(c => c.Live is not null);
            var loss = config.Series![0].Data;
            Assert.InRange(loss.Count, 1000, 2000);
            // Each of about 1,000 buckets of 100 steps keeps its lowest and highest loss: the first and last buckets are there.
            Assert.InRange(loss[0].X, 1, 100);
            Assert.InRange(loss[^1].X, 99_901, 100_000);
            // Epochs 1 to 3 have finished: a line after each, at its exact last step.
            Assert.Equal([10_000.5, 20_000.5, 30_000.5], config.XMarkers.Select(m => m.X));
            Assert.Equal(["E2", "E3", "E4"], config.XMarkers.Select(m => m.Label));
        });
    }

    private async Task<Run> AddRunAsync(string? notes = null, string? tags = null)
    {
        var run = RunListSeed.NewRun(Seed.NewDataSet("demo"), "edit", 1, RunStatus.Completed, tags: tags, notes: notes);
        run.EpochMetrics = [Epoch(1, best: true), Epoch(2, best: true), Epoch(3, best: false)];
        await Seed.AddAsync(run);
        return run;
    }

    private async Task<Run> ReadAsync(int id)
    {
        await using var db = await Seed.Factory.CreateDbContextAsync();
        return await db.Runs.AsNoTracking().SingleAsync(r => r.Id == id);
    }

    private static EpochMetric Epoch(int epoch, bool best) => new()
    {
        Epoch = epoch,
        TrainLoss = 0.5,
        ValidationLoss = 0.6,
        Accuracy = 0.7,
        Auc = 0.8,
        TrueNegatives = 10 * epoch,
        FalsePositives = 1,
        FalseNegatives = 2,
        TruePositives = 3,
        RocJson = "[]",
        LearningRate = 0.001,
        Seconds = 1,
        IsBest = best,
    };
}
