using System.Diagnostics;
using Microsoft.Playwright;

namespace PalmLab.Bench;

/// <summary>
/// Debian's Chromium (never Playwright's download) on the running app, opening pages as a user does: one full load, then
/// links followed inside the same Blazor circuit (<c>Blazor.navigateTo</c>, what a click on a link does), each timed until
/// the page shows what it should.
/// </summary>
public sealed class ScaleBrowser : IAsyncDisposable
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private const float TimeoutMs = 30_000;

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly IPage _page;

    private ScaleBrowser(IPlaywright playwright, IBrowser browser, IPage page) => (_playwright, _browser, _page) = (playwright, browser, page);

    public static async Task<ScaleBrowser> LaunchAsync(Uri baseAddress)
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium not found at {ChromiumPath}: apt-get install -y chromium");
        }
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
                // On a loaded machine Chromium's start alone has taken over 20 s.
                Timeout = 90_000,
            });
            var page = await browser.NewPageAsync(new() { BaseURL = baseAddress.ToString(), ViewportSize = new() { Width = 1440, Height = 900 } });
            page.SetDefaultTimeout(TimeoutMs);
            page.SetDefaultNavigationTimeout(TimeoutMs);
            return new ScaleBrowser(playwright, browser, page);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>Loads <paramref name="path"/> in full and waits until the Blazor circuit has taken the page over.</summary>
    public async Task LoadAsync(string path)
    {
        var response = await _page.GotoAsync(path);
        if (response?.Status != 200)
        {
            throw new InvalidOperationException($"GET {path} in the browser answered {response?.Status.ToString() ?? "nothing"}");
        }
        await WaitAsync($"the circuit to attach on {path}", "() => document.querySelector('.mud-layout')?.dataset.interactive === 'true'", null);
    }

    /// <summary>Follows a link to <paramref name="path"/> in the circuit; milliseconds until <paramref name="shown"/> (JS, given <paramref name="arg"/>) holds.</summary>
    public async Task<double> FollowAsync(string path, string what, string shown, object? arg)
    {
        var clock = Stopwatch.StartNew();
        await _page.EvaluateAsync("path => Blazor.navigateTo(path)", path);
        await WaitAsync(what, shown, arg);
        return clock.Elapsed.TotalMilliseconds;
    }

    private async Task WaitAsync(string what, string shown, object? arg)
    {
        try
        {
            await _page.WaitForFunctionAsync(shown, arg, new() { Timeout = TimeoutMs, PollingInterval = 5 });
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            throw new TimeoutException($"Waited {TimeoutMs / 1000:F0} s for {what} at {_page.Url}, in vain: {e.Message.Split('\n')[0]}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
