using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PalmLab.Tests.E2E.Pages;

/// <summary>The data sets list at /datasets, with its upload panel.</summary>
public sealed partial class DataSetsPage(IPage page) : AppShell(page)
{
    public const string Path = "/datasets";

    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Name = "Data sets", Level = 1, Exact = true });

    public ILocator UploadButton => Page.GetByRole(AriaRole.Link, new() { Name = "Upload zips", Exact = true }).First;

    public ILocator UploadPanelHeading => Page.GetByRole(AriaRole.Heading, new() { Name = "Upload the official zips", Level = 2 });

    /// <summary>The hidden file input behind "Choose zips" (Playwright sets files on it directly, as a file chooser would).</summary>
    public ILocator FileInput => Page.Locator("input#ds-upload-input");

    public ILocator NameField => Page.GetByLabel("Name", new() { Exact = true });

    public ILocator ImportButton => Page.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true });

    public ILocator Progress => Page.GetByRole(AriaRole.Status);

    public async Task GotoAsync()
    {
        var response = await Page.GotoAsync(Path);
        Assert.True(response?.Status == 200, $"GET {Path} answered {response?.Status.ToString() ?? "nothing"}, expected 200.");
        await PageWait.ForAsync("the \"Data sets\" heading", () => Expect(Heading).ToBeVisibleAsync());
        await WaitUntilInteractiveAsync();
    }

    /// <summary>Opens the upload panel, chooses <paramref name="zips"/>, names the data set and starts the import.</summary>
    public async Task UploadAsync(string name, params string[] zips)
    {
        await PageWait.ForAsync("the \"Upload zips\" button to be clickable", () => UploadButton.ClickAsync());
        await PageWait.ForAsync("the upload panel", () => Expect(UploadPanelHeading).ToBeVisibleAsync());
        await FileInput.SetInputFilesAsync(zips);
        await PageWait.ForAsync("the chosen zip to be listed", () => Expect(Page.Locator(".ds-file-list li").First).ToBeVisibleAsync());
        await NameField.FillAsync(name);
        await NameField.BlurAsync();
        await PageWait.ForAsync("the Import button to be enabled and clicked", () => ImportButton.ClickAsync());
    }

    [GeneratedRegex(@"/datasets/\d+$")]
    public static partial Regex DataSetAddress();
}
