using PalmLab.Tests.E2E.Pages;
using static Microsoft.Playwright.Assertions;

namespace PalmLab.Tests.E2E;

public sealed class HomePageTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Open_FreshBrowser_ShowsHeadingAndLoadsEveryAssetWithoutConsoleErrors()
    {
        await using var session = await OpenAsync();
        var home = new HomePage(session.Page);

        await home.GotoAsync();
        await home.WaitUntilInteractiveAsync();

        var apexCharts = session.ResponseForAsset("lib/apexcharts/apexcharts.min.js");
        Assert.True(apexCharts.Status == 200, $"{apexCharts.Url} answered {apexCharts.Status}, expected 200.");
        Assert.True(await session.Page.EvaluateAsync<bool>("() => typeof window.ApexCharts === 'function'"),
            "apexcharts.min.js loaded but did not define window.ApexCharts.");
        await PageWait.ForAsync("the runs list's first row or its empty state", () => Expect(home.LoadedList).ToBeVisibleAsync());
        session.AssertNoProblems();
    }

    [Fact]
    public async Task ThemeToggle_SwitchedToDark_IsDarkAndStaysDarkAfterReload()
    {
        await using var session = await OpenAsync();
        var home = new HomePage(session.Page);
        await home.GotoAsync();
        Assert.False(await home.IsDarkAsync(), "A fresh browser should start in light mode.");
        var lightLuminance = await home.BackgroundLuminanceAsync();

        await home.SwitchToDarkAsync();
        var darkLuminance = await home.BackgroundLuminanceAsync();
        await home.ReloadAsync();

        Assert.True(lightLuminance > 0.5 && darkLuminance < 0.2,
            $"Background luminance: light {lightLuminance:0.00} (expected > 0.5), dark {darkLuminance:0.00} (expected < 0.2).");
        Assert.True(await home.IsDarkAsync(), "After a reload the toggle offers dark again: the choice was not kept.");
        Assert.True(await home.BackgroundLuminanceAsync() < 0.2, "After a reload the page is drawn light.");
        session.AssertNoProblems();
    }
}
