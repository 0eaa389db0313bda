using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PalmLab.Tests.E2E.Pages;

/// <summary>One sweep at "/sweeps/{id}": its header, its trials table and a chart per swept option.</summary>
public sealed class SweepPage(IPage page) : AppShell(page)
{
    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Level = 1 });

    /// <summary>The trials table's body rows, in the order shown (best metric first).</summary>
    public ILocator TrialRows => Page.Locator("tbody tr.mud-table-row");

    public ILocator BestRow => Page.Locator("tr.sw-best-row");

    public ILocator Charts => Page.Locator(".apexcharts-canvas");

    public ILocator UseAsPreset => Page.GetByRole(AriaRole.Button, new() { Name = "Use as preset" });

    public async Task GotoAsync(int id, string expectedName)
    {
        var response = await Page.GotoAsync($"/sweeps/{id}");
        Assert.True(response?.Status == 200, $"GET /sweeps/{id} answered {response?.Status.ToString() ?? "nothing"}, expected 200.");
        await PageWait.ForAsync($"the heading \"{expectedName}\"", () => Expect(Heading).ToHaveTextAsync(expectedName));
        await WaitUntilInteractiveAsync();
    }
}
