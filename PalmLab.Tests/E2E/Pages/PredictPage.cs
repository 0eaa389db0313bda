using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PalmLab.Tests.E2E.Pages;

/// <summary>The Predict page at /predict: checkpoint, threshold, the drop zone, and the results.</summary>
public sealed class PredictPage(IPage page) : AppShell(page)
{
    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Name = "Predict", Level = 1, Exact = true });

    /// <summary>The file input that covers the drop zone (Playwright sets files on it, as a drop or the chooser would).</summary>
    public ILocator FileInput => Page.GetByLabel("Choose images");

    public ILocator Probability => Page.Locator(".pr-probability");

    public ILocator Label => Page.Locator(".pr-detail .pr-label");

    public ILocator HeatMap => Page.GetByRole(AriaRole.Img, new() { NameRegex = new("^Grad-CAM heat map of ") });

    /// <summary>The heat map's caption naming the class it explains ("Heat map: evidence for not pathologic").</summary>
    public ILocator Explains => Page.Locator(".pr-detail .pr-explains");

    public ILocator Threshold => Page.GetByRole(AriaRole.Slider, new() { Name = "Threshold" });

    public ILocator Original => Page.GetByRole(AriaRole.Img, new() { NameRegex = new(" as uploaded$") });

    public ILocator ResultRows => Page.Locator(".pr-table tbody tr");

    public ILocator DownloadCsv => Page.GetByRole(AriaRole.Link, new() { Name = "Download CSV" });

    public async Task GotoAsync(string checkpoint)
    {
        var path = $"/predict?checkpoint={Uri.EscapeDataString(checkpoint)}";
        var response = await Page.GotoAsync(path);
        Assert.True(response?.Status == 200, $"GET {path} answered {response?.Status.ToString() ?? "nothing"}, expected 200.");
        await PageWait.ForAsync("the \"Predict\" heading", () => Expect(Heading).ToBeVisibleAsync());
        await WaitUntilInteractiveAsync();
    }

    public async Task UploadAsync(params string[] files)
    {
        // Disabled while prerendered: enabled means the circuit's own input, which reads what it is given.
        await PageWait.ForAsync("the image input to be enabled", () => Expect(FileInput).ToBeEnabledAsync());
        // The circuit's input listens for files only once InputFile's script has set it up (a round trip after it is drawn);
        // files set before that are lost. Blazor marks a set-up input with this counter.
        await PageWait.ForAsync("Blazor's InputFile script to set the input up", async () =>
        {
            var input = await FileInput.ElementHandleAsync();
            await Page.WaitForFunctionAsync("e => e._blazorInputFileNextFileId !== undefined", input);
        });
        await PageWait.ForAsync("the images to be chosen", () => FileInput.SetInputFilesAsync(files));
    }

    /// <summary>Whether the browser decoded the heat map (a data URL PNG) to a real picture.</summary>
    public Task<bool> HeatMapLoadedAsync() => HeatMap.EvaluateAsync<bool>("i => i.complete && i.naturalWidth > 0");
}
