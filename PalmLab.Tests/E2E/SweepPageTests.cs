using System.Net.Http.Json;
using System.Text.RegularExpressions;
using PalmLab.Tests.E2E.Pages;
using PalmLab.Tests.Support;
using PalmLab.Tests.Web;
using PalmLab.Tests.Web.Sweeps;
using PalmLab.Web.Data;
using PalmLab.Web.Sweeps;
using static Microsoft.Playwright.Assertions;

namespace PalmLab.Tests.E2E;

public sealed class SweepPageTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Open_AFinishedSweep_ShowsItsTrialsBestFirstAndItsChartInLightAndDark()
    {
        using var api = new HttpClient { BaseAddress = Fixture.BaseAddress };
        var response = await api.PostAsJsonAsync("/api/sweeps",
            SweepsApiTests.TinySweep(new { learningRate = new[] { 0.02, 0.01, 0.005, 0.002 } }, name: "four learning rates"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<SweepView>(ApiClient.Json))!.Id;
        SweepView? sweep = null;
        await Wait.UntilAsync(async () =>
        {
            sweep = await api.GetFromJsonAsync<SweepView>($"/api/sweeps/{id}", ApiClient.Json);
            return sweep!.Status != SweepStatus.Running;
        }, "the sweep of four tiny trials to end", TimeSpan.FromSeconds(240));
        Assert.Equal(SweepStatus.Completed, sweep!.Status);
        var best = Assert.Single(sweep.Trials, t => t.IsBest);
        await using var session = await OpenAsync();
        var page = new SweepPage(session.Page);

        await page.GotoAsync(id, "four learning rates");

        await PageWait.ForAsync("four trials", () => Expect(page.TrialRows).ToHaveCountAsync(4));
        await PageWait.ForAsync("the best trial first and marked",
            () => Expect(page.TrialRows.First).ToHaveClassAsync(new Regex("sw-best-row")));
        await PageWait.ForAsync("the best trial's name in the marked row", () => Expect(page.BestRow).ToContainTextAsync(best.Name));
        await PageWait.ForAsync("one chart, for learningRate", () => Expect(page.Charts).ToHaveCountAsync(1));
        await PageWait.ForAsync("'Use as preset' enabled", () => Expect(page.UseAsPreset).ToBeEnabledAsync());
        await SaveFullPageAsync(session, "light");
        await page.SwitchToDarkAsync();
        await PageWait.ForAsync("the chart redrawn after the theme switch", () => Expect(page.Charts).ToHaveCountAsync(1));
        await SaveFullPageAsync(session, "dark");
        session.AssertNoProblems();
    }

    private static async Task SaveFullPageAsync(BrowserSession session, string theme)
    {
        await session.Page.Mouse.MoveAsync(700, 500);
        await session.Page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await session.Page.ScreenshotAsync(new() { Path = Path.ChangeExtension(session.ScreenshotPath, $".{theme}.png"), FullPage = true });
    }
}
