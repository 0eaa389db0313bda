using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PalmLab.Tests.E2E.Pages;

/// <summary>One data set at /datasets/{id}: its report and sample images.</summary>
public sealed class DataSetPage(IPage page) : AppShell(page)
{
    public ILocator Heading(string name) => Page.GetByRole(AriaRole.Heading, new() { Name = name, Level = 1, Exact = true });

    public ILocator CountCard(string kind) => Page.Locator($".ds-count-card[data-class='{kind}'] .ds-count-value");

    public ILocator SampleSection(string title) => Page.GetByRole(AriaRole.Region, new() { Name = $"{title} samples", Exact = true });

    public ILocator SampleImages => Page.Locator(".ds-sample img");

    /// <summary>How many sample images the browser has loaded and decoded (a broken image has no natural width).</summary>
    public Task<int> LoadedSampleImagesAsync() =>
        Page.EvaluateAsync<int>("() => [...document.querySelectorAll('.ds-sample img')].filter(i => i.complete && i.naturalWidth > 0).length");

    public Task WaitForHeadingAsync(string name) =>
        PageWait.ForAsync($"the data set page's \"{name}\" heading", () => Expect(Heading(name)).ToBeVisibleAsync());
}
