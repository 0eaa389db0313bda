using System.Net;
using System.Net.Http.Json;
using PalmLab.Tests.E2E.Pages;
using PalmLab.Tests.Web;
using PalmLab.Web.Components.Pages.Runs;
using static Microsoft.Playwright.Assertions;

namespace PalmLab.Tests.E2E;

public sealed class RunPageTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    // Training a tiny run takes seconds; a busy two-core machine may take several times longer.
    private const float TrainingTimeoutMs = 180_000;

    [Fact]
    public async Task QuickRun_WatchedWhileItTrains_ChartGainsPointsLiveAndEndsWithMatrixAndRoc()
    {
        using var api = new HttpClient { BaseAddress = Fixture.BaseAddress };
        // A run held in the queue behind a long one, so the page is open before its first batch.
        var blocker = await api.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 200));
        // Long enough that the chart still gains points after the theme switch below: on CI a 6-epoch run once ended
        // between the 12th point and the switch, and the wait for more points had nothing left to see.
        const int epochs = 30, stepsPerEpoch = 4;
        var run = await api.QueueAsync(PalmLabAppFactory.TinyRun(epochs));
        await using var session = await OpenAsync();
        var page = new RunPage(session.Page);
        try
        {
            await page.GotoAsync(run.Id);
            Assert.Equal(0, await page.DrawnPointsAsync());
            await PageWait.ForAsync("the chart's script to join the run on /hubs/runs",
                () => Expect(page.LossChart).ToHaveAttributeAsync("data-live", "live"));
        }
        finally
        {
            Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync($"/api/runs/{blocker.Id}/cancel", null)).StatusCode);
        }

        await page.WaitForPointsAsync(0, TrainingTimeoutMs);
        var first = await page.DrawnPointsAsync();
        await page.WaitForPointsAsync(first, TrainingTimeoutMs);
        await page.WaitForPointsAsync(11, TrainingTimeoutMs);
        await session.Page.ScreenshotAsync(new() { Path = session.ScreenshotPath.Replace(".png", ".training.png") });
        // The theme changes under a streaming chart: it keeps its points and goes on gaining them.
        await page.SwitchToDarkAsync();
        await page.WaitForPointsAsync(await page.DrawnPointsAsync(), TrainingTimeoutMs);
        await session.Page.ScreenshotAsync(new() { Path = session.ScreenshotPath.Replace(".png", ".training-dark.png") });
        await page.WaitForStatusAsync("Completed", TrainingTimeoutMs);

        // 20 images less a 0.2 holdout = 16, in batches of 4: 4 steps an epoch, each drawn once.
        await PageWait.ForAsync($"all {epochs * stepsPerEpoch} batches on the chart",
            () => Expect(page.LossChart).ToHaveAttributeAsync("data-points", $"{epochs * stepsPerEpoch}"));
        await PageWait.ForAsync("the confusion matrix", () => Expect(page.ConfusionMatrix).ToBeVisibleAsync());
        await PageWait.ForAsync("the ROC curve", () => Expect(page.RocChart.Locator(".apexcharts-series path").First).ToBeAttachedAsync());
        await PageWait.ForAsync("epoch boundaries on the loss chart", () => Expect(page.LossChart.Locator(".apexcharts-xaxis-annotations line")).ToHaveCountAsync(epochs - 1));
        session.AssertNoProblems();
    }

    [Fact]
    public async Task ChartScript_Ema_MatchesTheServersSmoothing()
    {
        await using var session = await OpenAsync();
        var home = new HomePage(session.Page);
        await home.GotoAsync();
        double[] values = [0.9, 0.7, 0.8, 0.4, 0.5, 0.3, 0.35, 0.2];

        var script = await session.Page.EvaluateAsync<double[]>(
            "async values => (await import('./js/live.js')).ema(values, 0.6)", values);

        var server = Smoothing.Ema(values, 0.6);
        Assert.Equal(server.Length, script.Length);
        for (var i = 0; i < server.Length; i++)
        {
            Assert.Equal(server[i], script[i], 12);
        }
    }

    [Fact]
    public async Task CompletedRun_InDark_ShowsEveryPart()
    {
        using var api = new HttpClient { BaseAddress = Fixture.BaseAddress };
        var run = await api.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 3));
        await api.WaitForAsync(run.Id, PalmLab.Web.Data.RunStatus.Completed);
        Assert.Equal(HttpStatusCode.OK, (await api.PatchAsJsonAsync($"/api/runs/{run.Id}", new { notes = "Baseline at 32 px.\nTry 64 px next.", tags = "tiny,baseline" })).StatusCode);
        await using var session = await OpenAsync();
        var page = new RunPage(session.Page);
        await page.GotoAsync(run.Id);
        await PageWait.ForAsync("the ROC curve", () => Expect(page.RocChart.Locator(".apexcharts-series path").First).ToBeAttachedAsync());
        await session.Page.ScreenshotAsync(new() { Path = session.ScreenshotPath.Replace(".png", ".light-full.png"), FullPage = true });
        await page.SwitchToDarkAsync();

        await PageWait.ForAsync("all 12 batches on the chart", () => Expect(page.LossChart).ToHaveAttributeAsync("data-points", "12"));
        await PageWait.ForAsync("the checkpoints' download links", () => Expect(session.Page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Download" })).ToHaveCountAsync(2));
        var onnx = session.Page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "ONNX", Exact = true });
        await PageWait.ForAsync("the checkpoints' ONNX links", () => Expect(onnx).ToHaveCountAsync(2));
        await Expect(onnx.First).ToHaveAttributeAsync("href", $"/api/runs/{run.Id}/checkpoints/best/onnx");
        await PageWait.ForAsync("the notes", () => Expect(session.Page.GetByText("Try 64 px next.")).ToBeAttachedAsync());
        await session.Page.ScreenshotAsync(new() { Path = session.ScreenshotPath.Replace(".png", ".full.png"), FullPage = true });

        // The chart follows its container when the navigation drawer closes, not only the window.
        var before = await page.ChartWidthAsync();
        await session.Page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Toggle navigation" }).ClickAsync();
        await PageWait.ForAsync($"the loss chart to grow beyond {before:0} px once the drawer closed",
            () => session.Page.WaitForFunctionAsync(
                "w => document.querySelector('.run-loss-chart svg.apexcharts-svg').getBoundingClientRect().width > w + 10", before));

        // Hovering the plot shows the values at the nearest step.
        var plot = await page.LossChart.Locator(".apexcharts-grid").BoundingBoxAsync();
        Assert.True(plot is not null, "The loss chart has no plot area.");
        await session.Page.Mouse.MoveAsync(plot.X + plot.Width * 0.4f, plot.Y + plot.Height * 0.5f);
        await PageWait.ForAsync("a tooltip with the batch loss at the hovered step",
            () => Expect(page.LossChart.Locator(".palmlab-tip-row").Filter(new() { HasText = "Batch loss" })).ToBeVisibleAsync());
        session.AssertNoProblems();
    }
}
