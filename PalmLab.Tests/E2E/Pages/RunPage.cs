using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PalmLab.Tests.E2E.Pages;

/// <summary>A run's page at /runs/{id}: header, live loss chart, epochs, confusion matrix and ROC.</summary>
public sealed class RunPage(IPage page) : AppShell(page)
{
    public ILocator Status => Page.Locator("h1 ~ .status-chip, .status-chip").First;

    public ILocator LossChart => Page.GetByRole(AriaRole.Figure, new() { Name = "Training loss per batch, smoothed, validation loss per epoch and learning rate" });

    public ILocator ConfusionMatrix => Page.Locator(".confusion");

    public ILocator RocChart => Page.Locator("[role=figure][aria-label^='ROC curve of epoch']");

    public async Task GotoAsync(int id)
    {
        var response = await Page.GotoAsync($"/runs/{id}");
        Assert.True(response?.Status == 200, $"GET /runs/{id} answered {response?.Status.ToString() ?? "nothing"}, expected 200.");
        await WaitUntilInteractiveAsync();
        await PageWait.ForAsync("the loss chart to be drawn", () => Expect(LossChart.Locator(".apexcharts-canvas")).ToBeVisibleAsync());
    }

    /// <summary>The batch losses the live chart holds and draws (its script keeps the count on the element).</summary>
    public async Task<int> DrawnPointsAsync() =>
        int.Parse(await LossChart.GetAttributeAsync("data-points") ?? "0", System.Globalization.CultureInfo.InvariantCulture);

    public Task<double> ChartWidthAsync() => Page.EvaluateAsync<double>(
        "() => document.querySelector('.run-loss-chart svg.apexcharts-svg').getBoundingClientRect().width");

    /// <summary>Waits until the chart holds more than <paramref name="count"/> points, with the given deadline.</summary>
    public Task WaitForPointsAsync(int count, float timeoutMs) => PageWait.ForAsync(
        $"the live loss chart to hold more than {count} points",
        () => Page.WaitForFunctionAsync(
            "n => Number(document.querySelector('.run-loss-chart')?.dataset.points ?? 0) > n", count, new() { Timeout = timeoutMs }));

    public Task WaitForStatusAsync(string status, float timeoutMs) => PageWait.ForAsync(
        $"the run's status to read {status}",
        () => Expect(Status).ToHaveAttributeAsync("data-status", status, new() { Timeout = timeoutMs }));

    /// <summary>A cross-validated run's summary line ("K-fold cross-validation: accuracy m ± s, ...").</summary>
    public ILocator CrossValidationSummary => Page.Locator(".cv-summary");

    /// <summary>The chip that shows fold <paramref name="fold"/> (null: the mean over the folds).</summary>
    public ILocator FoldChip(int? fold) => Page.Locator($".cv-fold-chip[data-fold='{fold?.ToString() ?? "mean"}']");

    /// <summary>The accuracy, AUC or validation loss chart of a cross-validated run: the mean in a ±1 std band.</summary>
    public ILocator CrossValidationChart(string title) => Page.GetByRole(AriaRole.Figure, new() { Name = $"{title} per epoch: mean over the folds with a band of one standard deviation" });
}
