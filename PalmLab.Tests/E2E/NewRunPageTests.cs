using System.Net;
using PalmLab.Tests.E2E.Pages;
using PalmLab.Tests.Web;
using static Microsoft.Playwright.Assertions;

namespace PalmLab.Tests.E2E;

public sealed class NewRunPageTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    // A tiny run on the demo data set takes seconds; a busy two-core machine may take several times longer.
    private const float TrainingTimeoutMs = 240_000;

    [Fact]
    public async Task Queue_QuickPresetAtTinySizeOnTheDemo_TrainsLiveAndEndsWithMatrixAndRoc()
    {
        await using var session = await OpenAsync();
        var form = new NewRunPage(session.Page);
        await form.GotoAsync();

        await form.ChoosePresetAsync("Quick");
        await form.ChooseDataSetAsync("demo");
        await form.SetOptionAsync("imageSize", "32");
        await form.SetOptionAsync("batchSize", "20");
        await form.SetOptionAsync("epochs", "2");

        // The demo has 400 training images and a validation folder (no holdout): 20 batches of 20 an epoch.
        await PageWait.ForAsync("the step count of 2 epochs of 20 batches",
            () => Expect(form.StepSummary).ToContainTextAsync("40 steps: 2 epochs × 20 batches (400 training images)"));
        await PageWait.ForAsync("the learning-rate line to be drawn", () => Expect(form.LrLine).ToBeVisibleAsync());
        await PageWait.ForAsync("the quick preset's depth", () => Expect(form.Field("depth")).ToContainTextAsync("ResNet-18"));
        await session.Page.ScreenshotAsync(new() { Path = Shot("light"), FullPage = true });

        // A long run ahead in the queue holds this one back until its page is open, so the chart is seen gaining points.
        using var api = new HttpClient { BaseAddress = Fixture.BaseAddress };
        var blocker = await api.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 200));
        var runId = await form.QueueAsync();

        await PageWait.ForAsync($"run {runId}'s page heading",
            () => Expect(session.Page.GetByRole(Microsoft.Playwright.AriaRole.Heading, new() { Name = "ResNet-18 32px on demo" })).ToBeVisibleAsync());
        var run = new RunPage(session.Page);
        try
        {
            Assert.Equal(0, await run.DrawnPointsAsync());
            await PageWait.ForAsync("the chart's script to join the run on /hubs/runs",
                () => Expect(run.LossChart).ToHaveAttributeAsync("data-live", "live"));
        }
        finally
        {
            Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync($"/api/runs/{blocker.Id}/cancel", null)).StatusCode);
        }
        await run.WaitForPointsAsync(0, TrainingTimeoutMs);
        var first = await run.DrawnPointsAsync();
        await run.WaitForPointsAsync(first, TrainingTimeoutMs);
        await run.WaitForStatusAsync("Completed", TrainingTimeoutMs);
        await PageWait.ForAsync("all 40 batches on the chart", () => Expect(run.LossChart).ToHaveAttributeAsync("data-points", "40"));
        await PageWait.ForAsync("the confusion matrix", () => Expect(run.ConfusionMatrix).ToBeVisibleAsync());
        await PageWait.ForAsync("the ROC curve", () => Expect(run.RocChart.Locator(".apexcharts-series path").First).ToBeAttachedAsync());
        session.AssertNoProblems();
    }

    [Fact]
    public async Task Open_DarkTheme_ShowsTheFormInDark()
    {
        await using var session = await OpenAsync();
        var form = new NewRunPage(session.Page);

        await form.GotoAsync("?preset=deeper&theme=dark");

        Assert.True(await form.IsDarkAsync(), "?theme=dark did not switch the form to dark.");
        await PageWait.ForAsync("the learning-rate line to be drawn", () => Expect(form.LrLine).ToBeVisibleAsync());
        await session.Page.ScreenshotAsync(new() { Path = Shot("dark"), FullPage = true });
        session.AssertNoProblems();
    }

    [Fact]
    public async Task ChooseBackbone_InTheStartFromCard_LocksTheDepthAndShowsTheFineTuningFields()
    {
        await using var session = await OpenAsync();
        var form = new NewRunPage(session.Page);
        await form.GotoAsync("?preset=best");
        await form.ChooseDataSetAsync("demo");

        await session.Page.Locator("[data-backbone='resnet18-imagenet']").ClickAsync();
        await form.SetOptionAsync("imageSize", "224");
        await form.SetOptionAsync("backboneLearningRate", "0.1");

        await PageWait.ForAsync("the backbone to be chosen",
            () => Expect(session.Page.Locator("[data-backbone='resnet18-imagenet']")).ToHaveAttributeAsync("aria-checked", "true"));
        await PageWait.ForAsync("the depth to be the backbone's", () => Expect(form.Field("depth")).ToContainTextAsync("backbone's own depth"));
        await PageWait.ForAsync("the queue button to be enabled", () => Expect(form.QueueButton).ToBeEnabledAsync());
        await session.Page.ScreenshotAsync(new() { Path = Shot("start-from"), FullPage = true });
        await session.Page.Locator("[data-section='start-from']").ScreenshotAsync(new() { Path = Shot("start-from-card") });
        session.AssertNoProblems();
    }

    private static string Shot(string theme)
    {
        Directory.CreateDirectory(E2ESettings.ScreenshotDirectory);
        return Path.Combine(E2ESettings.ScreenshotDirectory, $"{nameof(NewRunPageTests)}.form-{theme}.png");
    }
}
