using Microsoft.Playwright;
using PalmLab.Tests.Web;
using PalmLab.Tests.Web.Security;

namespace PalmLab.Tests.E2E;

/// <summary>
/// The real dashboard (Production, temp SQLite database, the "demo" and "tiny" data sets) on a free 127.0.0.1 port, and one
/// headless Chromium. When Chromium is missing or does not start, every browser test fails saying why; none is skipped.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    // The demo data set as the README's run command generates it (smaller images, for speed), and "tiny" for quick runs.
    private readonly PalmLabAppFactory _app = new(demoImageSize: 64);
    private PalmLabAppFactory? _signInApp;
    private Uri? _signInAddress;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string? _browserProblem;

    /// <summary>The dashboard's address; without a browser it fails the asking test with the reason, as <see cref="OpenAsync(string)"/> does.</summary>
    public Uri BaseAddress
    {
        get
        {
            if (_baseAddress is null)
            {
                Assert.Fail(_browserProblem ?? E2ESettings.MissingChromiumMessage);
            }
            return _baseAddress;
        }
    }

    private Uri? _baseAddress;

    /// <summary>The app's data sets folder, for tests that check what an import left there.</summary>
    public string DataSetsDir => _app.DataSetsDir;

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(E2ESettings.TimeoutMs);
        if (!File.Exists(E2ESettings.ChromiumPath))
        {
            // Recorded rather than thrown: xunit would report a fixture exception once, wrapped; each test should say it.
            _browserProblem = E2ESettings.MissingChromiumMessage;
            return;
        }

        _playwright = await Playwright.CreateAsync();
        try
        {
            _browser = await _playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = E2ESettings.ChromiumPath,
                Headless = true,
                Args = E2ESettings.ChromiumArgs,
                Timeout = E2ESettings.LaunchTimeoutMs,
            });
        }
        catch (PlaywrightException e)
        {
            _browserProblem = $"Chromium at {E2ESettings.ChromiumPath} did not start ({e.Message.Split('\n')[0]}); "
                + "reinstall it with apt-get install -y chromium";
            return;
        }

        _baseAddress = _app.StartOnFreePort();
    }

    /// <summary>A fresh browser context (own cookies) with one page at 1440x900; dispose it to save its screenshot.</summary>
    public Task<BrowserSession> OpenAsync(string screenshotName) => OpenAsync(screenshotName, BaseAddress);

    /// <summary>
    /// As <see cref="OpenAsync(string)"/>, on a second app that requires sign-in (<c>Require=always</c> with
    /// <see cref="TestCredentials"/>), started the first time a test asks for it.
    /// </summary>
    public Task<BrowserSession> OpenSignInRequiredAsync(string screenshotName)
    {
        if (_signInAddress is null)
        {
            _signInApp = new PalmLabAppFactory(settings: TestCredentials.Settings(require: "always"));
            _signInAddress = _signInApp.StartOnFreePort();
        }
        return OpenAsync(screenshotName, _signInAddress);
    }

    private async Task<BrowserSession> OpenAsync(string screenshotName, Uri baseAddress)
    {
        if (_browser is null)
        {
            Assert.Fail(_browserProblem ?? E2ESettings.MissingChromiumMessage);
        }

        var context = await _browser.NewContextAsync(new()
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new() { Width = E2ESettings.ViewportWidth, Height = E2ESettings.ViewportHeight },
        });
        context.SetDefaultTimeout(E2ESettings.TimeoutMs);
        context.SetDefaultNavigationTimeout(E2ESettings.TimeoutMs);
        var page = await context.NewPageAsync();
        var screenshot = Path.Combine(E2ESettings.ScreenshotDirectory, screenshotName + ".png");
        return new BrowserSession(context, page, baseAddress, screenshot);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
        await _app.DisposeAsync();
        if (_signInApp is not null)
        {
            await _signInApp.DisposeAsync();
        }
    }
}
