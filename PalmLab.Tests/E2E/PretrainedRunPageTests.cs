using PalmLab.Engine.Backbones;
using PalmLab.Tests.E2E.Pages;
using PalmLab.Web.Data;
using PalmLab.Tests.Web;
using static Microsoft.Playwright.Assertions;

namespace PalmLab.Tests.E2E;

/// <summary>The "pretrained" preset in the browser: its card on the New run page, and a fine-tuned run's page with its charts.</summary>
public sealed class PretrainedRunPageTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task ChoosePretrainedPreset_SelectsTheImageNetBackboneAndLocksTheDepth()
    {
        await using var session = await OpenAsync();
        var form = new NewRunPage(session.Page);
        await form.GotoAsync();

        await form.ChoosePresetAsync("Pretrained");

        var backbone = session.Page.Locator($"[data-backbone='{Backbones.ImageNetResNet18}']");
        await PageWait.ForAsync("the Start from card to select resnet18-imagenet",
            () => Expect(backbone).ToHaveAttributeAsync("aria-checked", "true"));
        await Expect(session.Page.Locator($"[data-backbone='{Backbones.Scratch}']")).ToHaveAttributeAsync("aria-checked", "false");
        await PageWait.ForAsync("the depth field to show ResNet-18", () => Expect(form.Field("depth")).ToContainTextAsync("ResNet-18"));
        await PageWait.ForAsync("the depth field to say it is the backbone's own",
            () => Expect(form.Field("depth")).ToContainTextAsync("The resnet18-imagenet backbone's own depth"));
        await PageWait.ForAsync("the depth field to be locked", () => Expect(form.Field("depth").Locator(".mud-disabled").First).ToBeAttachedAsync());
        // The learning-rate preview follows the form after a short debounce: wait for the preset's schedule, not the previous one.
        await PageWait.ForAsync("the step count of the preset's 5 epochs of 25 batches on the demo",
            () => Expect(form.StepSummary).ToContainTextAsync("125 steps: 5 epochs × 25 batches (400 training images)"));
        await PageWait.ForAsync("the learning-rate line to be drawn", () => Expect(form.LrLine).ToBeVisibleAsync());
        await session.Page.ScreenshotAsync(new() { Path = Shot("new-run-pretrained"), FullPage = true });
        session.AssertNoProblems();
    }

    [Fact]
    public async Task CompletedPretrainedRun_ShowsWhereItStartedWithLossChartAndRoc()
    {
        using var api = new HttpClient { BaseAddress = Fixture.BaseAddress };
        // The preset's recipe at a size that trains in seconds: 20 images less the 0.2 holdout = 16, batches of 4, 3 epochs.
        var queued = await api.QueueAsync(new { dataSet = "tiny", preset = "pretrained", imageSize = 32, batchSize = 4, epochs = 3, warmupSteps = 2, name = "Pretrained on tiny" });
        var run = await api.WaitForAsync(queued.Id, RunStatus.Completed, RunStatus.Failed);
        Assert.True(run.Status == RunStatus.Completed, $"The pretrained run {run.Id} failed: {run.ErrorMessage}");

        await using var session = await OpenAsync();
        var page = new RunPage(session.Page);
        await page.GotoAsync(run.Id);
        await PageWait.ForAsync("all 12 batches on the loss chart", () => Expect(page.LossChart).ToHaveAttributeAsync("data-points", "12"));
        await PageWait.ForAsync("the confusion matrix", () => Expect(page.ConfusionMatrix).ToBeVisibleAsync());
        await PageWait.ForAsync("the ROC curve", () => Expect(page.RocChart.Locator(".apexcharts-series path").First).ToBeAttachedAsync());
        await PageWait.ForAsync("the header to say the run started from resnet18-imagenet",
            () => Expect(session.Page.Locator("[data-fact='start-from']")).ToContainTextAsync("Started from resnet18-imagenet (backbone lr × 0.1)"));
        await session.Page.ScreenshotAsync(new() { Path = Shot("run-page"), FullPage = true });
        session.AssertNoProblems();
    }

    private static string Shot(string name)
    {
        Directory.CreateDirectory(E2ESettings.ScreenshotDirectory);
        return Path.Combine(E2ESettings.ScreenshotDirectory, $"{nameof(PretrainedRunPageTests)}.{name}.png");
    }
}
