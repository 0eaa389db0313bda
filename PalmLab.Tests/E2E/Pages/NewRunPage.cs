using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PalmLab.Tests.E2E.Pages;

/// <summary>The form at "/runs/new" that queues a run.</summary>
public sealed class NewRunPage(IPage page) : AppShell(page)
{
    public const string Path = "/runs/new";

    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Name = "New run", Level = 1, Exact = true });

    public ILocator QueueButton => Page.GetByRole(AriaRole.Button, new() { Name = "Queue run" });

    /// <summary>The drawn line of the learning-rate chart (ApexCharts' SVG path of its one series).</summary>
    public ILocator LrLine => Page.Locator(".newrun-lr-chart .apexcharts-series path.apexcharts-line").First;

    public ILocator StepSummary => Page.Locator(".newrun-steps");

    public async Task GotoAsync(string query = "")
    {
        var response = await Page.GotoAsync(Path + query);
        Assert.True(response?.Status == 200, $"GET {Path}{query} answered {response?.Status.ToString() ?? "nothing"}, expected 200.");
        await PageWait.ForAsync("the \"New run\" heading", () => Expect(Heading).ToBeVisibleAsync());
        await WaitUntilInteractiveAsync();
    }

    public async Task ChoosePresetAsync(string title)
    {
        // By its title alone: a card's accessible name also holds its description, which may name another preset.
        var preset = Page.GetByRole(AriaRole.Radio).Filter(new() { Has = Page.GetByText(title, new() { Exact = true }) });
        await PageWait.ForAsync($"the \"{title}\" preset to be clickable", () => preset.ClickAsync());
        await PageWait.ForAsync($"the \"{title}\" preset to be selected", () => Expect(preset).ToHaveAttributeAsync("aria-checked", "true"));
    }

    public async Task ChooseDataSetAsync(string name)
    {
        var choice = Page.Locator($"[role=radio][data-dataset='{name}']");
        await PageWait.ForAsync($"the data set \"{name}\" to be clickable", () => choice.ClickAsync());
        await PageWait.ForAsync($"the data set \"{name}\" to be selected", () => Expect(choice).ToHaveAttributeAsync("aria-checked", "true"));
    }

    /// <summary>Types into the option's field (by its JSON name) as a user would, replacing what was there.</summary>
    public async Task SetOptionAsync(string jsonName, string value)
    {
        var input = Page.Locator($"[data-option='{jsonName}'] input");
        await PageWait.ForAsync($"the {jsonName} field to take \"{value}\"", () => input.FillAsync(value));
        await PageWait.ForAsync($"the {jsonName} field to show \"{value}\"", () => Expect(input).ToHaveValueAsync(value));
    }

    public ILocator Field(string jsonName) => Page.Locator($"[data-option='{jsonName}']");

    /// <summary>Queues the run and waits for its page: returns the run's id from the address.</summary>
    public async Task<int> QueueAsync()
    {
        await PageWait.ForAsync("the \"Queue run\" button to be enabled", () => Expect(QueueButton).ToBeEnabledAsync());
        await PageWait.ForAsync("the \"Queue run\" button to be clickable", () => QueueButton.ClickAsync());
        var runUrl = new Regex(@"/runs/(\d+)$");
        await PageWait.ForAsync("the address to become the queued run's page", () => Expect(Page).ToHaveURLAsync(runUrl));
        return int.Parse(runUrl.Match(Page.Url).Groups[1].Value);
    }
}
