using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace PalmLab.Tests.E2E;

/// <summary>
/// One test's page. It records every console error, uncaught script error, failed request and 4xx/5xx answer for the
/// app's own assets while the test runs, and on dispose saves a screenshot of the page as the test left it (also when
/// the test failed, since dispose runs first).
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly Uri _baseAddress;
    private readonly ConcurrentQueue<string> _problems = new();
    private readonly ConcurrentQueue<IResponse> _responses = new();
    private readonly ConcurrentQueue<IConsoleMessage> _consoleErrors = new();
    private readonly ConcurrentDictionary<string, int> _documentErrors = new();

    internal BrowserSession(IBrowserContext context, IPage page, Uri baseAddress, string screenshotPath)
    {
        _context = context;
        _baseAddress = baseAddress;
        Page = page;
        ScreenshotPath = screenshotPath;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _consoleErrors.Enqueue(message);
            }
        };
        page.PageError += (_, error) => _problems.Enqueue($"uncaught script error: {error}");
        page.RequestFailed += (_, request) =>
            _problems.Enqueue($"request failed: {request.Method} {request.Url} ({request.Failure})");
        page.Response += (_, response) =>
        {
            _responses.Enqueue(response);
            if (response.Status < 400 || !IsOwn(response.Url))
            {
                return;
            }
            // A page's own status (404 for the not-found page) is the test's to check; its assets must all load.
            if (IsDocument(response.Request))
            {
                _documentErrors[response.Url] = response.Status;
            }
            else
            {
                _problems.Enqueue($"HTTP {response.Status} for {response.Request.Method} {response.Url}");
            }
        };
    }

    public IPage Page { get; }

    public string ScreenshotPath { get; }

    /// <summary>Fails listing every console error, script error, failed request and 4xx/5xx asset seen so far.</summary>
    public void AssertNoProblems()
    {
        // Chromium also logs a document's own error status as "Failed to load resource"; that status is not a problem.
        var consoleErrors = _consoleErrors
            .Where(m => !(m.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)
                && _documentErrors.Keys.Any(url => m.Location.StartsWith(url + ":", StringComparison.Ordinal))))
            .Select(m => $"console error: {m.Text} ({m.Location})");
        var problems = _problems.Concat(consoleErrors).ToArray();
        Assert.True(problems.Length == 0,
            $"The page at {Page.Url} reported {problems.Length} problem(s):\n  " + string.Join("\n  ", problems));
    }

    /// <summary>
    /// The answer to an asset the page loaded, by its path as the app names it (lib/apexcharts/apexcharts.min.js),
    /// with or without the content fingerprint that MapStaticAssets puts before the extension (apexcharts.min.0bn1ytfisz.js).
    /// </summary>
    public IResponse ResponseForAsset(string path)
    {
        var url = new Uri(_baseAddress, path).GetLeftPart(UriPartial.Path);
        var extension = Path.GetExtension(url);
        var pattern = new Regex(
            "^" + Regex.Escape(url[..^extension.Length]) + @"(\.[a-z0-9]+)?" + Regex.Escape(extension) + "$");
        var response = _responses.FirstOrDefault(r => pattern.IsMatch(new Uri(r.Url).GetLeftPart(UriPartial.Path)));
        Assert.True(response is not null, $"The page at {Page.Url} never requested {url}; it requested:\n  "
            + string.Join("\n  ", _responses.Select(r => $"{r.Status} {r.Url}")));
        return response;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(ScreenshotPath)!);
            await Page.ScreenshotAsync(new() { Path = ScreenshotPath, Timeout = E2ESettings.TimeoutMs });
        }
        catch (PlaywrightException e)
        {
            // Throwing here would replace the test's own failure, which says more than a missing screenshot.
            Console.Error.WriteLine($"Screenshot {ScreenshotPath} not saved: {e.Message}");
        }
        await _context.DisposeAsync();
    }

    private bool IsOwn(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && uri.GetLeftPart(UriPartial.Authority) == _baseAddress.GetLeftPart(UriPartial.Authority);

    private static bool IsDocument(IRequest request) => request.IsNavigationRequest && request.Frame.ParentFrame is null;
}
