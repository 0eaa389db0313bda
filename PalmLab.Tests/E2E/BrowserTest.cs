using System.Runtime.CompilerServices;

namespace PalmLab.Tests.E2E;

/// <summary>Base of every browser test class: the shared app and browser, and a page per test.</summary>
[Collection(BrowserCollection.Name)]
public abstract class BrowserTest(BrowserFixture fixture)
{
    protected BrowserFixture Fixture { get; } = fixture;

    /// <summary>
    /// A fresh page for the calling test; <c>await using</c> it, so that its screenshot
    /// (<see cref="E2ESettings.ScreenshotFolder"/>/Class.Test.png) is saved whether the test passes or fails.
    /// </summary>
    protected Task<BrowserSession> OpenAsync([CallerMemberName] string test = "") =>
        Fixture.OpenAsync($"{GetType().Name}.{test}");

    /// <summary>As <see cref="OpenAsync"/>, on the fixture's app that requires sign-in.</summary>
    protected Task<BrowserSession> OpenSignInRequiredAsync([CallerMemberName] string test = "") =>
        Fixture.OpenSignInRequiredAsync($"{GetType().Name}.{test}");
}
