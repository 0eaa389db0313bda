using PalmLab.Tests.E2E.Pages;
using static Microsoft.Playwright.Assertions;

namespace PalmLab.Tests.E2E;

public sealed class NewRunPageTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Queue_QuickPresetAtTinySize_DrawsTheScheduleAndLandsOnTheRunsPage()
    {
        await using var session = await OpenAsync();
        var form = new NewRunPage(session.Page);
        await form.GotoAsync();

        await form.ChoosePresetAsync("Quick");
        await form.ChooseDataSetAsync("tiny");
        await form.SetOptionAsync("imageSize", "32");
        await form.SetOptionAsync("batchSize", "4");
        await form.SetOptionAsync("epochs", "1");

        // "tiny" has 20 training images and no validation folder: a fifth held out leaves 16, four batches of 4.
        await PageWait.ForAsync("the step count of 1 epoch of 4 batches",
            () => Expect(form.StepSummary).ToContainTextAsync("4 steps: 1 epoch × 4 batches (16 training images)"));
        await PageWait.ForAsync("the learning-rate line to be drawn", () => Expect(form.LrLine).ToBeVisibleAsync());
        await PageWait.ForAsync("the quick preset's depth", () => Expect(form.Field("depth")).ToContainTextAsync("ResNet-18"));
        await session.Page.ScreenshotAsync(new() { Path = Shot("light"), FullPage = true });

        var runId = await form.QueueAsync();

        await PageWait.ForAsync($"run {runId}'s page heading",
            () => Expect(session.Page.GetByRole(Microsoft.Playwright.AriaRole.Heading, new() { Name = "ResNet-18 32px on tiny" })).ToBeVisibleAsync());
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

    private static string Shot(string theme)
    {
        Directory.CreateDirectory(E2ESettings.ScreenshotDirectory);
        return Path.Combine(E2ESettings.ScreenshotDirectory, $"{nameof(NewRunPageTests)}.form-{theme}.png");
    }
}
