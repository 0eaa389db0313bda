using System.Text.Json.Nodes;
using PalmLab.Tests.E2E.Pages;
using PalmLab.Tests.Web;
using PalmLab.Web.Data;
using static Microsoft.Playwright.Assertions;

namespace PalmLab.Tests.E2E;

public sealed class ComparePageTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Open_ThreeFinishedRuns_ShowsTheirLegendsDifferingOptionsAndMetricsInLightAndDark()
    {
        using var api = new HttpClient { BaseAddress = Fixture.BaseAddress };
        var runs = new List<int>();
        foreach (var (name, rate, seed) in new[] { ("fast", 0.01, 1), ("reference", 0.005, 1), ("slow", 0.002, 2) })
        {
            var request = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(PalmLabAppFactory.TinyRun(epochs: 3)))!.AsObject();
            request["name"] = name;
            request["learningRate"] = rate;
            request["seed"] = seed;
            runs.Add((await api.QueueAsync(request)).Id);
        }
        foreach (var id in runs)
        {
            var done = await api.WaitForAsync(id, RunStatus.Completed, RunStatus.Failed);
            Assert.True(done.Status == RunStatus.Completed, $"run {id} failed: {done.ErrorMessage}");
        }
        await using var session = await OpenAsync();
        var compare = new ComparePage(session.Page);

        await compare.GotoAsync(runs, expectedRuns: 3);

        var labels = new[] { $"#{runs[0]} fast", $"#{runs[1]} reference", $"#{runs[2]} slow" };
        await PageWait.ForAsync("each chart's legend to name the runs in order",
            () => Expect(compare.LegendEntries).ToHaveTextAsync([.. labels, .. labels, .. labels, .. labels]));
        await PageWait.ForAsync("the learning rates side by side",
            () => Expect(compare.Cells("learningRate")).ToHaveTextAsync(["0.01", "0.005", "0.002"]));
        await PageWait.ForAsync("the seeds side by side", () => Expect(compare.Cells("seed")).ToHaveTextAsync(["1", "1", "2"]));
        await PageWait.ForAsync("equal options hidden", () => Expect(compare.Row("depth")).ToHaveCountAsync(0));
        await PageWait.ForAsync("three epochs done per run",
            () => Expect(compare.Cells("Epochs")).ToHaveTextAsync(["3 of 3", "3 of 3", "3 of 3"]));
        await PageWait.ForAsync("a final accuracy per run",
            () => Expect(compare.Cells("Accuracy final")).ToHaveTextAsync([Number, Number, Number]));
        await SaveFullPageAsync(session, "light");

        await PageWait.ForAsync("the \"Show all options\" switch to turn on", () => compare.ShowAllOptions.CheckAsync());
        await PageWait.ForAsync("every option shown", () => Expect(compare.Row("depth")).ToHaveCountAsync(1));
        await compare.SwitchToDarkAsync();
        await SaveFullPageAsync(session, "dark");
        session.AssertNoProblems();
    }

    private static readonly System.Text.RegularExpressions.Regex Number = new(@"^\s*\d\.\d{3}\s*$");

    // The viewport shot the session saves shows the charts; the full page shows the tables under them too. From the
    // top, with the pointer off the toggle, so the app bar and its tooltip are drawn where a reader expects them.
    private static async Task SaveFullPageAsync(BrowserSession session, string theme)
    {
        await session.Page.Mouse.MoveAsync(700, 500);
        await session.Page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await session.Page.ScreenshotAsync(new() { Path = Path.ChangeExtension(session.ScreenshotPath, $".{theme}.png"), FullPage = true });
    }
}
