using PalmLab.Tests.E2E.Pages;
using PalmLab.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace PalmLab.Tests.E2E;

public sealed class DataSetsPageTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Upload_SmallZip_ShowsProgressAndLandsOnTheNewDataSetsReportAndSamples()
    {
        using var temp = new TempDir();
        var training = TestImages.WriteTrainingFolder(temp.Sub("PALM-Training400"), normal: 4, high: 3, pathologic: 5, size: 36);
        var zip = TestZips.Write(temp.File("training.zip"), TestZips.FolderEntries(training, "PALM-Training400/"));
        var name = $"e2e-{Guid.NewGuid():N}"[..12];
        await using var session = await OpenAsync();
        var list = new DataSetsPage(session.Page);
        await list.GotoAsync();

        await list.UploadAsync(name, zip);

        await PageWait.ForAsync("the new data set's page", () => Expect(session.Page).ToHaveURLAsync(DataSetsPage.DataSetAddress()));
        var page = new DataSetPage(session.Page);
        await page.WaitForHeadingAsync(name);
        await PageWait.ForAsync("the class counts 4 N, 3 H, 5 P", async () =>
        {
            await Expect(page.CountCard("normal")).ToHaveTextAsync("4");
            await Expect(page.CountCard("high-myopia")).ToHaveTextAsync("3");
            await Expect(page.CountCard("pathologic")).ToHaveTextAsync("5");
            await Expect(page.CountCard("validation")).ToHaveTextAsync("none");
        });
        await PageWait.ForAsync("a sample section per class", async () =>
        {
            await Expect(page.SampleSection("Normal").Locator("img")).ToHaveCountAsync(4);
            await Expect(page.SampleSection("High myopia").Locator("img")).ToHaveCountAsync(3);
            await Expect(page.SampleSection("Pathologic myopia").Locator("img")).ToHaveCountAsync(4);
        });
        await PageWait.ForAsync("all 11 sample images to load", () =>
            session.Page.WaitForFunctionAsync("() => [...document.querySelectorAll('.ds-sample img')].every(i => i.complete && i.naturalWidth > 0)"));
        Assert.Equal(11, await page.LoadedSampleImagesAsync());
        Assert.Empty(Directory.EnumerateDirectories(Fixture.DataSetsDir, ".upload-*"));
        session.AssertNoProblems();
    }

    [Fact]
    public async Task List_Dark_ShowsTheTinyDataSet()
    {
        await using var session = await OpenAsync();
        var list = new DataSetsPage(session.Page);
        await list.GotoAsync();
        await list.SwitchToDarkAsync();

        await PageWait.ForAsync("the tiny data set's row", () =>
            Expect(session.Page.Locator("tbody tr", new() { HasText = "tiny" }).First).ToContainTextAsync("none: holdout"));
        session.AssertNoProblems();
    }
}
