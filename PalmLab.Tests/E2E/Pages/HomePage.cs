using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PalmLab.Tests.E2E.Pages;

/// <summary>The start page at "/".</summary>
public sealed class HomePage(IPage page) : AppShell(page)
{
    public const string Path = "/";

    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Name = "PalmLab", Level = 1, Exact = true });

    /// <summary>Opens the page, checks it answered 200 and shows its heading.</summary>
    public async Task GotoAsync()
    {
        var response = await Page.GotoAsync(Path);
        Assert.True(response?.Status == 200, $"GET {Path} answered {response?.Status.ToString() ?? "nothing"}, expected 200.");
        await WaitForHeadingAsync();
    }

    public Task WaitForHeadingAsync() => PageWait.ForAsync("the home page's \"PalmLab\" heading",
        () => Expect(Heading).ToBeVisibleAsync());

    public async Task ReloadAsync()
    {
        await Page.ReloadAsync();
        await WaitForHeadingAsync();
    }
}
