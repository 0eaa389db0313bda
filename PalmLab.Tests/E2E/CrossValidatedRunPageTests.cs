using PalmLab.Tests.E2E.Pages;
using PalmLab.Tests.Web;
using PalmLab.Web.Data;
using static Microsoft.Playwright.Assertions;

namespace PalmLab.Tests.E2E;

public sealed class CrossValidatedRunPageTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task CompletedThreeFoldRun_ShowsBandsAndFoldChips_AndTheListShowsMeanAndStd()
    {
        using var api = new HttpClient { BaseAddress = Fixture.BaseAddress };
        var queued = await api.QueueAsync(new { dataSet = "tiny", preset = "quick", depth = 18, imageSize = 32, batchSize = 4, epochs = 4, folds = 3, name = "Tiny 3-fold" });
        await using var session = await OpenAsync();
        var page = new RunPage(session.Page);
        await page.GotoAsync(queued.Id);
        // While it trains, the progress names the fold; the time left counts every fold.
        await PageWait.ForAsync("fold 2 in the progress card", () => Expect(session.Page.Locator(".progress-fold .progress-value")).ToHaveTextAsync("2 / 3", new() { Timeout = 120_000 }));
        await session.Page.ScreenshotAsync(new() { Path = session.ScreenshotPath.Replace(".png", ".training.png") });
        var run = await api.WaitForAsync(queued.Id, RunStatus.Completed, RunStatus.Failed);
        Assert.True(run.Status == RunStatus.Completed, run.ErrorMessage);

        await page.GotoAsync(run.Id);
        await PageWait.ForAsync("the summary", () => Expect(page.CrossValidationSummary).ToContainTextAsync("3-fold cross-validation: accuracy"));
        await PageWait.ForAsync("the accuracy band", () => Expect(page.CrossValidationChart("Validation accuracy").Locator(".apexcharts-series path").First).ToBeAttachedAsync());
        // Fold boundaries and the epochs within each fold: E2-E4 in three folds, and Fold 2 and Fold 3.
        await PageWait.ForAsync("fold and epoch boundaries on the loss chart", () => Expect(page.LossChart.Locator(".apexcharts-xaxis-annotations line")).ToHaveCountAsync(11));
        await Expect(page.LossChart.Locator(".apexcharts-xaxis-annotations text").Filter(new() { HasText = "Fold 3" })).ToHaveCountAsync(1);
        await session.Page.ScreenshotAsync(new() { Path = session.ScreenshotPath.Replace(".png", ".mean-light.png"), FullPage = true });

        await page.FoldChip(2).ClickAsync();
        await PageWait.ForAsync("?fold=2 in the address", () => session.Page.WaitForFunctionAsync("() => location.search.includes('fold=2')"));
        await PageWait.ForAsync("fold 2's confusion matrix", () => Expect(page.ConfusionMatrix).ToBeVisibleAsync());
        await Expect(page.FoldChip(2)).ToHaveAttributeAsync("aria-pressed", "true");
        // Fold 2's two checkpoints, each with its own download and its ONNX export.
        await Expect(session.Page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { NameRegex = new("^Download fold 2 (best|last)$") })).ToHaveCountAsync(2);
        await Expect(session.Page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { NameRegex = new("^Download fold 2 (best|last) as ONNX$") })).ToHaveCountAsync(2);
        await page.SwitchToDarkAsync();
        await PageWait.ForAsync("the accuracy band after the theme change", () => Expect(page.CrossValidationChart("Validation accuracy").Locator(".apexcharts-series path").First).ToBeAttachedAsync());
        await session.Page.ScreenshotAsync(new() { Path = session.ScreenshotPath.Replace(".png", ".fold2-dark.png"), FullPage = true });

        var home = new HomePage(session.Page);
        await home.GotoAsync();
        var row = session.Page.Locator("tr", new() { Has = session.Page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Tiny 3-fold" }) });
        await PageWait.ForAsync("the 3-fold marker in the runs list", () => Expect(row.Locator(".runs-folds")).ToHaveTextAsync("3-fold"));
        await Expect(row.Locator(".metric-std").First).ToContainTextAsync("±");
        session.AssertNoProblems();
    }
}
