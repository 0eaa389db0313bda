using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PalmLab.Tests.E2E.Pages;

/// <summary>The friendly page every unknown address shows (with status 404).</summary>
public sealed class NotFoundPage(IPage page) : AppShell(page)
{
    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Name = "Not found", Level = 1, Exact = true });

    /// <summary>Drawn as a button, but a MudButton with an Href is an &lt;a&gt;, so its role is link (as it should be).</summary>
    public ILocator GoToRunsButton => Page.GetByRole(AriaRole.Link, new() { Name = "Go to the runs", Exact = true });

    /// <summary>Opens an address the app does not know, checks it answered 404 and shows the page.</summary>
    public async Task GotoAsync(string unknownPath)
    {
        var response = await Page.GotoAsync(unknownPath);
        Assert.True(response?.Status == 404,
            $"GET {unknownPath} answered {response?.Status.ToString() ?? "nothing"}, expected 404.");
        await PageWait.ForAsync("the \"Not found\" heading", () => Expect(Heading).ToBeVisibleAsync());
    }

    public async Task<HomePage> GoToRunsAsync()
    {
        await WaitUntilInteractiveAsync();
        await PageWait.ForAsync("the \"Go to the runs\" button to be clickable", () => GoToRunsButton.ClickAsync());
        var home = new HomePage(Page);
        await home.WaitForHeadingAsync();
        return home;
    }
}
