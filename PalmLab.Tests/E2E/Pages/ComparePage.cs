using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PalmLab.Tests.E2E.Pages;

/// <summary>The comparison of two to ten runs at "/compare?runs=...".</summary>
public sealed class ComparePage(IPage page) : AppShell(page)
{
    public static string PathFor(IEnumerable<int> ids) => "/compare?runs=" + string.Join(",", ids);

    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Level = 1 });

    /// <summary>The legend entries of every chart on the page, as ApexCharts draws them.</summary>
    public ILocator LegendEntries => Page.Locator(".apexcharts-legend-text");

    /// <summary>MudSwitch's input: a checkbox drawn as a switch, found by its label whichever role it reports.</summary>
    public ILocator ShowAllOptions => Page.GetByLabel("Show all options", new() { Exact = true });

    /// <summary>A row of the options or metrics table, by its header cell ("seed", "Accuracy final").</summary>
    public ILocator Row(string header) => Page.GetByRole(AriaRole.Row).Filter(new()
    {
        Has = Page.GetByRole(AriaRole.Rowheader, new() { Name = header, Exact = true }),
    });

    public ILocator Cells(string header) => Row(header).GetByRole(AriaRole.Cell);

    /// <summary>Opens the comparison, checks it answered 200 and waits for its heading and its charts.</summary>
    public async Task GotoAsync(IEnumerable<int> ids, int expectedRuns)
    {
        var path = PathFor(ids);
        var response = await Page.GotoAsync(path);
        Assert.True(response?.Status == 200, $"GET {path} answered {response?.Status.ToString() ?? "nothing"}, expected 200.");
        await PageWait.ForAsync($"the heading \"Compare {expectedRuns} runs\"",
            () => Expect(Heading).ToHaveTextAsync($"Compare {expectedRuns} runs"));
        await WaitUntilInteractiveAsync();
        await PageWait.ForAsync($"four charts with {expectedRuns} legend entries each",
            () => Expect(LegendEntries).ToHaveCountAsync(4 * expectedRuns));
    }
}
