using System.Text.RegularExpressions;
using PalmLab.Tests.E2E.Pages;
using PalmLab.Tests.Web.Security;
using static Microsoft.Playwright.Assertions;

namespace PalmLab.Tests.E2E;

/// <summary>Signing in and out through the pages, on an app that requires sign-in.</summary>
public sealed class SignInPageTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task SignIn_WrongThenRightPassword_OpensThePageAskedForWithSignOutInTheAppBar()
    {
        await using var session = await OpenSignInRequiredAsync();
        var page = session.Page;
        var login = new LoginPage(page);

        await page.GotoAsync("/runs/new");
        await PageWait.ForAsync("the redirect to the sign-in page, keeping the page asked for",
            () => Expect(page).ToHaveURLAsync(new Regex("/login\\?ReturnUrl=%2Fruns%2Fnew$")));
        await login.SignInAsync(TestCredentials.AdminUser, "not the password");
        await PageWait.ForAsync("the wrong-password message",
            () => Expect(login.Error).ToContainTextAsync("Wrong user name or password."));
        await login.SignInAsync(TestCredentials.AdminUser, TestCredentials.AdminPassword);

        await PageWait.ForAsync("the page asked for", () => Expect(page).ToHaveURLAsync(new Regex("/runs/new$")));
        var shell = new AppShell(page);
        // The circuit connects with the cookie: /_blazor is closed to anyone who has not signed in.
        await shell.WaitUntilInteractiveAsync();
        await PageWait.ForAsync("\"Sign out\" in the app bar", () => Expect(shell.SignOutButton).ToBeVisibleAsync());
        session.AssertNoProblems();
    }

    [Fact]
    public async Task SignOut_FromTheAppBar_GoesToTheSignInPageAndClosesThePagesAgain()
    {
        await using var session = await OpenSignInRequiredAsync();
        var page = session.Page;
        var login = new LoginPage(page);
        await page.GotoAsync(LoginPage.Path);
        await login.SignInAsync(TestCredentials.AdminUser, TestCredentials.AdminPassword);
        var home = new HomePage(page);
        await home.WaitForHeadingAsync();
        await home.WaitUntilInteractiveAsync();

        await PageWait.ForAsync("the \"Sign out\" button to be clickable", () => home.SignOutButton.ClickAsync());

        await login.WaitForHeadingAsync();
        await page.GotoAsync(HomePage.Path);
        await PageWait.ForAsync("the runs page to send the signed-out browser to sign in",
            () => Expect(page).ToHaveURLAsync(new Regex("/login\\?ReturnUrl=%2F$")));
        session.AssertNoProblems();
    }
}
