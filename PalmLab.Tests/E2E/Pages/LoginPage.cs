using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PalmLab.Tests.E2E.Pages;

/// <summary>/login, where an app that requires sign-in sends every page until the admin signs in.</summary>
public sealed class LoginPage(IPage page)
{
    public const string Path = "/login";

    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1, Exact = true });

    public ILocator UserName => page.GetByLabel("User name", new() { Exact = true });

    public ILocator Password => page.GetByLabel("Password", new() { Exact = true });

    public ILocator SignInButton => page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true });

    public ILocator Error => page.GetByRole(AriaRole.Alert);

    public Task WaitForHeadingAsync() => PageWait.ForAsync("the sign-in page's \"Sign in\" heading",
        () => Expect(Heading).ToBeVisibleAsync());

    /// <summary>Fills the form and submits it (a plain form post: the page is not interactive, so nothing to wait for first).</summary>
    public async Task SignInAsync(string user, string password)
    {
        await WaitForHeadingAsync();
        await PageWait.ForAsync("the user name field", () => UserName.FillAsync(user));
        await PageWait.ForAsync("the password field", () => Password.FillAsync(password));
        await PageWait.ForAsync("the \"Sign in\" button to be clickable", () => SignInButton.ClickAsync());
    }
}
