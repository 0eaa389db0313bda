using System.Globalization;
using PalmLab.Tests.E2E.Pages;
using PalmLab.Tests.Support;
using PalmLab.Tests.Web;
using PalmLab.Tests.Web.Predict;
using PalmLab.Web.Data;
using static Microsoft.Playwright.Assertions;

namespace PalmLab.Tests.E2E;

public sealed class PredictPageTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Upload_OneImageThenSeveral_ShowsTheProbabilityAndHeatMapThenASortableTableInLightAndDark()
    {
        using var api = new HttpClient { BaseAddress = Fixture.BaseAddress };
        var run = await api.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 1));
        var done = await api.WaitForAsync(run.Id, RunStatus.Completed, RunStatus.Failed);
        Assert.True(done.Status == RunStatus.Completed, $"run {run.Id} failed: {done.ErrorMessage}");
        using var temp = new TempDir();
        var images = Enumerable.Range(0, 3).Select(i =>
        {
            var path = temp.File($"fundus-{i + 1}.jpg");
            File.WriteAllBytes(path, TestUploads.Jpeg(96, 96, label: i % 2, seed: 40 + i));
            return path;
        }).ToList();
        var notAnImage = temp.File("notes.jpg");
        File.WriteAllBytes(notAnImage, TestUploads.Text());
        await using var session = await OpenAsync();
        var page = new PredictPage(session.Page);
        await page.GotoAsync($"{run.Id}:best");

        await page.UploadAsync(images[0]);

        await PageWait.ForAsync("a probability in percent", () => Expect(page.Probability).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d{1,3}\.\d %$")));
        var probability = double.Parse((await page.Probability.GetAttributeAsync("data-probability"))!, CultureInfo.InvariantCulture);
        Assert.InRange(probability, 0, 1);
        await PageWait.ForAsync("the label at the run's threshold", () => Expect(page.Label).ToHaveAttributeAsync("data-label", probability >= 0.5 ? "1" : "0"));
        await PageWait.ForAsync("the original image", () => Expect(page.Original).ToBeVisibleAsync());
        await PageWait.ForAsync("the heat map", () => Expect(page.HeatMap).ToBeVisibleAsync());
        Assert.True(await page.HeatMapLoadedAsync(), "the heat map PNG did not decode in the browser");
        await session.Page.ScreenshotAsync(new() { Path = session.ScreenshotPath.Replace(".png", ".one-light.png") });
        // The map explains the label shown; a threshold on the other side of the probability switches both.
        await PageWait.ForAsync("the caption of the label's class", () => Expect(page.Explains).ToHaveTextAsync(
            probability >= 0.5 ? "Heat map: evidence for pathologic myopia" : "Heat map: evidence for not pathologic"));
        var moved = probability >= 0.5 ? 0.99 : 0.01;
        await page.Threshold.FillAsync(moved.ToString(CultureInfo.InvariantCulture));
        var flipped = probability >= moved ? "1" : "0";
        await PageWait.ForAsync("the label at the moved threshold", () => Expect(page.Label).ToHaveAttributeAsync("data-label", flipped));
        await PageWait.ForAsync("the caption of the moved label's class", () => Expect(page.Explains).ToHaveTextAsync(
            flipped == "1" ? "Heat map: evidence for pathologic myopia" : "Heat map: evidence for not pathologic"));
        Assert.True(await page.HeatMapLoadedAsync(), "the moved label's heat map PNG did not decode in the browser");
        await session.Page.ScreenshotAsync(new() { Path = session.ScreenshotPath.Replace(".png", flipped == "1" ? ".one-moved-pathologic.png" : ".one-moved-not-pathologic.png") });

        await page.UploadAsync([.. images, notAnImage]);
        await PageWait.ForAsync("a row per file", () => Expect(page.ResultRows).ToHaveCountAsync(4));
        await PageWait.ForAsync("the bad file's message in its row",
            () => Expect(page.ResultRows.Nth(3)).ToContainTextAsync("notes.jpg: not a readable image"));
        await PageWait.ForAsync("the CSV download", () => Expect(page.DownloadCsv).ToHaveAttributeAsync("download", "predictions.csv"));
        await page.SwitchToDarkAsync();
        await PageWait.ForAsync("the rows again after the theme switch", () => Expect(page.ResultRows).ToHaveCountAsync(4));
        session.AssertNoProblems();
    }
}
