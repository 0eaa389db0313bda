using AngleSharp.Dom;
using Bunit;
using PalmLab.Web.Components.Pages.Runs;

namespace PalmLab.Tests.Web.Components;

/// <summary>The runs list's way into a comparison: the Compare button follows the selection.</summary>
public sealed class RunsPageCompareTests : RunPagesTestBase
{
    [Fact]
    public async Task CompareButton_TwoToTenSelected_LinksToThemInIdOrderOtherwiseDisabled()
    {
        var demo = Seed.NewDataSet("demo");
        await Seed.AddAsync([.. Enumerable.Range(1, 11).Select(i => RunListSeed.NewRun(demo, $"run {i}", i))]);
        var cut = Render<RunsPage>();
        cut.WaitForAssertion(() => Assert.Equal(11, cut.FindAll("tbody tr.mud-table-row").Count));
        AssertDisabled(cut);

        // Newest first: rows 0, 1 and 2 are runs 11, 10 and 9.
        SelectRow(cut, 0);
        AssertDisabled(cut);
        SelectRow(cut, 2);
        cut.WaitForAssertion(() => Assert.Equal("/compare?runs=9,11", CompareButton(cut).GetAttribute("href")));
        SelectRow(cut, 1);
        cut.WaitForAssertion(() =>
        {
            Assert.Equal("/compare?runs=9,10,11", CompareButton(cut).GetAttribute("href"));
            Assert.Equal("Compare 3", CompareButton(cut).TextContent.Trim());
        });

        cut.Find("thead input[type=checkbox]").Change(true);

        cut.WaitForAssertion(() => Assert.Contains("Delete 11 selected", cut.Markup));
        AssertDisabled(cut);
    }

    private static void SelectRow(IRenderedComponent<RunsPage> cut, int row) =>
        cut.FindAll("tbody tr.mud-table-row")[row].QuerySelector("input[type=checkbox]")!.Change(true);

    private static IElement CompareButton(IRenderedComponent<RunsPage> cut) => cut.Find(".runs-compare");

    private static void AssertDisabled(IRenderedComponent<RunsPage> cut) => cut.WaitForAssertion(() =>
    {
        var button = CompareButton(cut);
        Assert.Equal("BUTTON", button.TagName);
        Assert.True(button.HasAttribute("disabled"), button.OuterHtml);
        Assert.Null(button.GetAttribute("href"));
    });
}
