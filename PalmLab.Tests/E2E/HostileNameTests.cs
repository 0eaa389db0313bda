using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.Playwright;
using PalmLab.Tests.E2E.Pages;
using PalmLab.Tests.Support;
using PalmLab.Tests.Web;
using PalmLab.Tests.Web.Sweeps;
using PalmLab.Web.Data;
using PalmLab.Web.Sweeps;
using static Microsoft.Playwright.Assertions;

namespace PalmLab.Tests.E2E;

/// <summary>
/// Runs and a sweep named with script payloads, opened on every page that draws a chart (and the lists): each name
/// must be shown as text, no script may run (a dialog fails the test), no element of the payloads may reach the DOM,
/// and the page must draw under its Content-Security-Policy without a violation (a console error).
/// </summary>
public sealed class HostileNameTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private static readonly string[] Names =
    [
        "<img src=x onerror=alert(1)>",
        "\"><svg onload=alert(2)>",
        "</script><script>alert(3)</script>",
    ];

    // Any element the payloads would have made, wherever in the page it landed.
    private const string InjectedElements = "() => document.querySelectorAll('img[src=\"x\"], [onerror], [onload], script:not([src])').length";

    [Fact]
    public async Task ChartPages_RunsNamedWithScripts_ShowTheNamesAsTextAndRunNoScript()
    {
        using var api = new HttpClient { BaseAddress = Fixture.BaseAddress };
        var first = await api.QueueAsync(Named(PalmLabAppFactory.TinyRun(epochs: 2), Names[0]));
        var second = await api.QueueAsync(Named(PalmLabAppFactory.TinyRun(epochs: 2), Names[1]));
        var third = await api.QueueAsync(Named(PalmLabAppFactory.TinyRun(epochs: 2), Names[2]));
        var crossValidated = await api.QueueAsync(new
        {
            dataSet = "tiny", preset = "quick", depth = 18, imageSize = 32, batchSize = 4, epochs = 2, folds = 2, name = Names[1],
        });
        var sweepResponse = await api.PostAsJsonAsync("/api/sweeps", SweepsApiTests.TinySweep(new { seed = new[] { 1, 2 } }, name: Names[0]));
        Assert.True(sweepResponse.IsSuccessStatusCode, await sweepResponse.Content.ReadAsStringAsync());
        var sweepId = (await sweepResponse.Content.ReadFromJsonAsync<SweepView>(ApiClient.Json))!.Id;
        foreach (var id in new[] { first.Id, second.Id, third.Id, crossValidated.Id })
        {
            var done = await api.WaitForAsync(id, RunStatus.Completed, RunStatus.Failed);
            Assert.True(done.Status == RunStatus.Completed, $"run {id} failed: {done.ErrorMessage}");
        }
        await Wait.UntilAsync(async () =>
            (await api.GetFromJsonAsync<SweepView>($"/api/sweeps/{sweepId}", ApiClient.Json))!.Status != SweepStatus.Running,
            "the sweep of two tiny trials to end", TimeSpan.FromSeconds(240));

        await using var session = await OpenAsync();
        var dialogs = new ConcurrentQueue<string>();
        session.Page.Dialog += async (_, dialog) =>
        {
            dialogs.Enqueue($"{dialog.Type} \"{dialog.Message}\" on {session.Page.Url}");
            await dialog.DismissAsync();
        };

        var compare = new ComparePage(session.Page);
        await compare.GotoAsync([first.Id, second.Id, third.Id], expectedRuns: 3);
        var legends = new[] { $"#{first.Id} {Names[0]}", $"#{second.Id} {Names[1]}", $"#{third.Id} {Names[2]}" };
        await PageWait.ForAsync("each chart's legend to show the names as text",
            () => Expect(compare.LegendEntries).ToHaveTextAsync([.. legends, .. legends, .. legends, .. legends]));
        await HoverEveryChartAsync(session.Page);
        await AssertCleanAsync(session, dialogs);
        // Back to the top, so the full-page picture has the fixed app bar where a person sees it.
        await session.Page.EvaluateAsync("window.scrollTo(0, 0)");
        await session.Page.ScreenshotAsync(new() { Path = Path.ChangeExtension(session.ScreenshotPath, ".compare.png"), FullPage = true });

        foreach (var (path, charts) in new[]
        {
            ($"/runs/{first.Id}", true), ($"/runs/{crossValidated.Id}", true), ($"/runs/new?from={first.Id}", true), ($"/sweeps/{sweepId}", true),
            ("/", false), ("/sweeps", false), ("/datasets", false), ("/predict", false),
        })
        {
            await OpenPageAsync(session, path, charts);
            await HoverEveryChartAsync(session.Page);
            await AssertCleanAsync(session, dialogs);
        }
        // The names are on the lists as text, too (Razor escapes them).
        await session.Page.GotoAsync("/");
        await PageWait.ForAsync("the runs list to show the first name as text",
            () => Expect(session.Page.GetByText(Names[0], new() { Exact = true }).First).ToBeVisibleAsync());
        await AssertCleanAsync(session, dialogs);
    }

    private static object Named(object run, string name)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(run))!.AsObject();
        json["name"] = name;
        return json;
    }

    private static async Task OpenPageAsync(BrowserSession session, string path, bool charts)
    {
        var response = await session.Page.GotoAsync(path);
        Assert.True(response is not null, $"GET {path} answered nothing.");
        Assert.True(response.Status == 200, $"GET {path} answered {response.Status}, expected 200.");
        var policy = await response.HeaderValueAsync("content-security-policy");
        Assert.True(policy is not null, $"GET {path} has no Content-Security-Policy header.");
        var scripts = policy.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("script-src ", StringComparison.Ordinal));
        Assert.DoesNotContain("'unsafe-inline'", scripts, StringComparison.Ordinal);
        Assert.DoesNotContain("'unsafe-eval'", scripts, StringComparison.Ordinal);
        await new AppShell(session.Page).WaitUntilInteractiveAsync();
        if (charts)
        {
            await PageWait.ForAsync($"a chart drawn on {path}",
                () => Expect(session.Page.Locator(".apexcharts-canvas").First).ToBeVisibleAsync());
        }
    }

    // Tooltips are HTML too: hovering each chart's middle draws one.
    private static async Task HoverEveryChartAsync(IPage page)
    {
        foreach (var chart in await page.Locator(".apexcharts-canvas").AllAsync())
        {
            await chart.ScrollIntoViewIfNeededAsync();
            var box = await chart.BoundingBoxAsync();
            if (box is not null)
            {
                await page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
                await page.Mouse.MoveAsync(box.X + box.Width * 0.7f, box.Y + box.Height / 2, new() { Steps = 5 });
            }
        }
    }

    private static async Task AssertCleanAsync(BrowserSession session, ConcurrentQueue<string> dialogs)
    {
        var injected = await session.Page.EvaluateAsync<int>(InjectedElements);
        Assert.True(injected == 0, $"{session.Page.Url} holds {injected} element(s) made from a run's name.");
        Assert.True(dialogs.IsEmpty, "A script from a run's name ran: " + string.Join("; ", dialogs));
        session.AssertNoProblems();
    }
}
