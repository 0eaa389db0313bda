using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PalmLab.Tests.E2E.Pages;

/// <summary>The start page at "/": the runs list.</summary>
public sealed class HomePage(IPage page) : AppShell(page)
{
    public const string Path = "/";

    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Name = "Runs", Level = 1, Exact = true });

    /// <summary>Opens the page, checks it answered 200 and shows its heading.</summary>
    public async Task GotoAsync()
    {
        var response = await Page.GotoAsync(Path);
        Assert.True(response?.Status == 200, $"GET {Path} answered {response?.Status.ToString() ?? "nothing"}, expected 200.");
        await WaitForHeadingAsync();
    }

    public Task WaitForHeadingAsync() => PageWait.ForAsync("the runs page's \"Runs\" heading",
        () => Expect(Heading).ToBeVisibleAsync());

    /// <summary>The first run's row or, with no runs, the empty state: drawn once the circuit has loaded the first page.</summary>
    public ILocator LoadedList => Page.Locator("tbody tr.mud-table-row").First.Or(Page.GetByText("No runs yet", new() { Exact = false }));

    public async Task ReloadAsync()
    {
        await Page.ReloadAsync();
        await WaitForHeadingAsync();
    }
}
