using Microsoft.Playwright;

namespace PalmLab.Tests.E2E;

/// <summary>
/// Runs one of Playwright's own auto-waiting calls (an Expect, a WaitFor, a click) and, when it gives up, fails saying what the
/// test was waiting for in the app's terms, followed by Playwright's own account. No polling of our own, no retries.
/// </summary>
public static class PageWait
{
    public static async Task ForAsync(string what, Func<Task> playwrightWait)
    {
        try
        {
            await playwrightWait();
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            // Playwright's message names the deadline the wait had (the default or the call's own).
            Assert.Fail($"Waited in vain for {what}.\n{e.Message}");
        }
    }
}
