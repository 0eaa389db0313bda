namespace PalmLab.Tests.E2E;

/// <summary>Where the browser comes from, how long waits may take, and where screenshots go.</summary>
public static class E2ESettings
{
    /// <summary>Debian's Chromium; Playwright's own browser download is never used (see README, "Run the tests").</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    public const string MissingChromiumMessage = $"Chromium not found at {ChromiumPath}: apt-get install -y chromium";

    /// <summary>Relative to the test assembly's folder (bin/Release/net10.0/): one PNG per test, named Class.Test.png.</summary>
    public const string ScreenshotFolder = "TestResults/screenshots";

    public const int ViewportWidth = 1440;
    public const int ViewportHeight = 900;

    /// <summary>
    /// The longest any single wait may take. Generous because the first page of a run starts the Blazor circuit on a
    /// busy two-core machine; a page that works answers in well under a second.
    /// </summary>
    public const float TimeoutMs = 20_000;

    /// <summary>How long Chromium may take to start: on a loaded machine its start alone has taken over 20 s.</summary>
    public const float LaunchTimeoutMs = 90_000;

    /// <summary>No GPU, no sandbox (CI runs as root), and nothing that talks to Google's services in the background.</summary>
    public static IReadOnlyList<string> ChromiumArgs { get; } =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];

    public static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, ScreenshotFolder);
}
