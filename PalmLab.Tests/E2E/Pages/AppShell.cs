using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PalmLab.Tests.E2E.Pages;

/// <summary>
/// What every page has: the app bar with the light/dark toggle (and "Sign out" when signed in), around the page's own
/// content.
/// </summary>
public class AppShell(IPage page)
{
    private const string ToDark = "Switch to dark mode";
    private const string ToLight = "Switch to light mode";

    protected IPage Page { get; } = page;

    public ILocator AppBar => Page.GetByRole(AriaRole.Banner);

    /// <summary>Shown only to a signed-in user (when the app requires sign-in).</summary>
    public ILocator SignOutButton => AppBar.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true });

    /// <summary>The toggle while the page is light: it offers dark.</summary>
    public ILocator SwitchToDarkButton => AppBar.GetByRole(AriaRole.Button, new() { Name = ToDark, Exact = true });

    /// <summary>The toggle while the page is dark: it offers light.</summary>
    public ILocator SwitchToLightButton => AppBar.GetByRole(AriaRole.Button, new() { Name = ToLight, Exact = true });

    /// <summary>
    /// Waits until the Blazor circuit has taken over the prerendered page. Clicks before that are lost, since the
    /// prerendered buttons have no handlers yet.
    /// </summary>
    public Task WaitUntilInteractiveAsync() => PageWait.ForAsync(
        "the Blazor circuit to attach (the layout's data-interactive=\"true\")",
        () => Expect(Page.Locator(".mud-layout")).ToHaveAttributeAsync("data-interactive", "true"));

    public async Task SwitchToDarkAsync()
    {
        await WaitUntilInteractiveAsync();
        await PageWait.ForAsync($"the \"{ToDark}\" toggle to be clickable", () => SwitchToDarkButton.ClickAsync());
        await PageWait.ForAsync($"the toggle to read \"{ToLight}\" after switching to dark",
            () => Expect(SwitchToLightButton).ToBeVisibleAsync());
        // The label changes as soon as the layout re-renders; the cookie is written by a JS call after that.
        await PageWait.ForAsync("the palmlab-theme=dark cookie to be written",
            () => Page.WaitForFunctionAsync("() => document.cookie.split('; ').includes('palmlab-theme=dark')"));
    }

    /// <summary>Dark when the toggle offers light; fails when the page shows neither toggle.</summary>
    public async Task<bool> IsDarkAsync()
    {
        await PageWait.ForAsync("the app bar's light/dark toggle",
            () => Expect(SwitchToDarkButton.Or(SwitchToLightButton)).ToBeVisibleAsync());
        return await SwitchToLightButton.IsVisibleAsync();
    }

    /// <summary>The relative luminance (0 black .. 1 white) of the page background as drawn.</summary>
    public async Task<double> BackgroundLuminanceAsync()
    {
        var rgb = await Page.EvaluateAsync<double[]>(
            "() => getComputedStyle(document.body).backgroundColor.match(/[\\d.]+/g).slice(0, 3).map(Number)");
        return (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255;
    }
}
