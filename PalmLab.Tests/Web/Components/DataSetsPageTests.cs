using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using PalmLab.Tests.Support;
using PalmLab.Web.Components.Pages.DataSets;
using PalmLab.Web.Data;

namespace PalmLab.Tests.Web.Components;

public sealed class DataSetsPageTests : DataSetPagesTestBase
{
    private readonly TempDir _temp = new();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _temp.Dispose();
    }

    [Fact]
    public void List_NoDataSets_ShowsTheEmptyStateWithTheWaysToAddOne()
    {
        var cut = Render<DataSetsPage>();

        cut.WaitForAssertion(() =>
        {
            var empty = cut.Find(".ds-empty");
            Assert.Contains("No data sets yet", empty.TextContent);
            Assert.Equal(["/datasets?add=upload", "/datasets?add=generate"], empty.QuerySelectorAll("a").Select(a => a.GetAttribute("href")));
        });
    }

    [Fact]
    public async Task List_DataSets_ShowsClassCountsValidationProblemsAndRuns()
    {
        var clean = await CleanAsync();
        await MessyAsync();
        await Seed.AddAsync(RunListSeed.NewRun(clean, "first", 1), RunListSeed.NewRun(clean, "second", 2));

        var cut = Render<DataSetsPage>();

        cut.WaitForAssertion(() =>
        {
            var rows = cut.FindAll("tbody tr.mud-table-row");
            Assert.Equal(2, rows.Count);
            string[] Cells(int row) => rows[row].QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToArray();
            Assert.Equal(["clean", "3", "1", "4", "4", "32×32", "No problems"], Cells(0)[..7]);
            Assert.Equal("2", Cells(0)[8]);
            Assert.Equal(["messy", "5", "2", "6", "none: holdout", "32×32"], Cells(1)[..6]);
            Assert.Equal(["error", "info"], rows[1].QuerySelectorAll(".ds-problem-chip").Select(c => c.GetAttribute("data-severity")));
            Assert.Equal(["2 errors", "1 note"], rows[1].QuerySelectorAll(".ds-problem-chip").Select(c => c.TextContent.Trim()));
            Assert.Equal("0", Cells(1)[8]);
            Assert.Equal($"/datasets/{clean.Id}", rows[0].QuerySelector("td a")!.GetAttribute("href"));
            Assert.Equal("/?dataset=clean", rows[0].QuerySelectorAll("td a").Last().GetAttribute("href"));
        });
    }

    [Fact]
    public async Task Detail_DataSet_ShowsCountsProblemsGroupedByKindAndSamplesOfEachClass()
    {
        var messy = await MessyAsync();

        var cut = Render<DataSetDetailPage>(p => p.Add(c => c.Id, messy.Id));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("messy", cut.Find("h1").TextContent.Trim());
            string Count(string kind) => cut.Find($".ds-count-card[data-class='{kind}'] .ds-count-value").TextContent.Trim();
            Assert.Equal(("15", "5", "2", "6", "none"), (Count("training"), Count("normal"), Count("high-myopia"), Count("pathologic"), Count("validation")));
            Assert.Equal(messy.ContentHash, cut.Find(".ds-hash code").GetAttribute("data-hash"));
            Assert.Equal(messy.ContentHash![..12], cut.Find(".ds-hash code").TextContent);

            var groups = cut.FindAll(".ds-problem-group");
            Assert.Equal(["CorruptImage", "NoClass", "DuplicateInTraining"], groups.Select(g => g.GetAttribute("data-kind")));
            Assert.Contains("Corrupt images (1)", groups[0].TextContent);
            Assert.Contains("P0099.jpg", groups[0].TextContent);
            Assert.Contains("X0001.jpg", groups[1].TextContent);
            Assert.Contains("N0001.jpg", groups[2].TextContent);

            var classes = cut.FindAll(".ds-sample-class");
            Assert.Equal(["normal", "high-myopia", "pathologic"], classes.Select(c => c.GetAttribute("data-class")));
            Assert.Equal([4, 2, 4], classes.Select(c => c.QuerySelectorAll("img").Length));
            Assert.Contains("6 images", classes[2].TextContent); // the corrupt P0099 is not offered
            Assert.Equal($"/api/datasets/{messy.Id}/images/high-myopia/1", classes[1].QuerySelectorAll("img")[1].GetAttribute("src"));
            Assert.Equal(["N0001.jpg", "N0002.jpg", "N0003.jpg", "N0004.jpg"], classes[0].QuerySelectorAll("figcaption").Select(f => f.TextContent));
            Assert.Contains("No run uses this data set yet", cut.Find(".ds-no-runs").TextContent);
        });
    }

    [Fact]
    public async Task Detail_CleanDataSetWithRuns_SaysNoProblemsAndLinksItsRuns()
    {
        var clean = await CleanAsync();
        await Seed.AddAsync(RunListSeed.NewRun(clean, "baseline", 1, RunStatus.Completed));

        var cut = Render<DataSetDetailPage>(p => p.Add(c => c.Id, clean.Id));

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("No problems", cut.Find(".ds-no-problems").TextContent);
            Assert.Contains("2 label 1 · 2 label 0", cut.Find(".ds-count-validation").TextContent);
            var run = cut.Find(".ds-runs a");
            Assert.Equal(("baseline", "/runs/1"), (run.TextContent.Trim(), run.GetAttribute("href")));
            Assert.Equal("Completed", cut.Find(".ds-runs .status-chip").GetAttribute("data-status"));
        });
    }

    [Fact]
    public void Detail_UnknownId_SaysItDoesNotExist()
    {
        var cut = Render<DataSetDetailPage>(p => p.Add(c => c.Id, 42));

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("Data set 42 does not exist", cut.Find(".ds-not-found").TextContent);
            Assert.Equal("/datasets", cut.Find(".ds-not-found a").GetAttribute("href"));
        });
    }

    [Fact]
    public void Upload_SmallZip_ImportsItAndOpensTheNewDataSet()
    {
        var tree = TestDataSets.WriteTree(_temp.Sub("tree"), normal: 2, high: 1, pathologic: 2, validation: 2);
        var zip = TestZips.Write(_temp.File("training.zip"), TestZips.FolderEntries(Path.Combine(tree, "PALM-Training400"), "PALM-Training400/"));
        var navigation = Services.GetRequiredService<BunitNavigationManager>();
        var cut = Render<DataSetUploadPanel>();

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(File.ReadAllBytes(zip), "training.zip"));
        cut.WaitForAssertion(() => Assert.Equal("training", cut.Find(".ds-name-field input").GetAttribute("value")));
        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Import").Click();

        cut.WaitForAssertion(() => Assert.Matches(@"/datasets/\d+$", navigation.Uri));
        Assert.Equal(["training"], Directory.EnumerateDirectories(Root).Select(Path.GetFileName));
    }

    [Fact]
    public void Upload_FileOverTheLimit_IsMarkedAndImportStaysOff()
    {
        var cut = Render<DataSetUploadPanel>();

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(new byte[MaxUploadBytes + 100 * 1024], "training.zip"));

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("training.zip is 356 KB, more than the 256 KB an upload may be", cut.Find(".ds-refusal").TextContent);
            Assert.True(cut.FindAll("button").Single(b => b.TextContent.Trim() == "Import").HasAttribute("disabled"));
        });
    }

    [Fact]
    public void Upload_BrokenZip_ShowsWhyAndLeavesNothing()
    {
        var cut = Render<DataSetUploadPanel>();

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(Enumerable.Repeat((byte)7, 4000).ToArray(), "training.zip"));
        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Import").Click();

        cut.WaitForAssertion(() => Assert.StartsWith("training.zip is not a readable zip file", cut.Find(".ds-error").TextContent.Trim()));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Root));
    }
}
