using PalmLab.Web.Components.Pages.Runs;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Tests.Web;

public sealed class RunsQueryTests
{
    [Fact]
    public void Parse_NothingInTheUrl_IsTheNewestFirstFirstPage()
    {
        var filter = RunsQuery.Parse(null, null, null, null, null, null, null, null);

        Assert.Equal(new RunListFilter(), filter);
        Assert.All(RunsQuery.ToQuery(filter).Values, Assert.Null);
    }

    [Fact]
    public void ToQuery_EveryPart_ParsesBackToTheSameView()
    {
        var filter = new RunListFilter
        {
            Status = RunStatus.Running, Depth = 50, DataSet = "demo", Tag = "x", Search = "text", Sort = RunSortKey.Auc, Descending = true, Page = 1,
        };

        var query = RunsQuery.ToQuery(filter);
        var parsed = RunsQuery.Parse((string?)query["status"], (int?)query["depth"], (string?)query["dataset"], (string?)query["tag"],
            (string?)query["q"], (string?)query["sort"], (bool?)query["desc"], (int?)query["page"]);

        Assert.Equal(("Running", "auc", true, 2), ((string?)query["status"], (string?)query["sort"], (bool?)query["desc"], (int?)query["page"]));
        Assert.Equal(filter, parsed);
    }

    [Theory]
    [InlineData("auc", null, false)]
    [InlineData("created", null, false)]
    [InlineData(null, null, true)]
    [InlineData("name", true, true)]
    public void Parse_SortWithoutDesc_IsAscendingAsAHeaderClickStarts(string? sort, bool? desc, bool expected)
    {
        Assert.Equal(expected, RunsQuery.Parse(null, null, null, null, null, sort, desc, null).Descending);
    }

    [Fact]
    public void Parse_UnknownStatusAndPageBelowOne_AreIgnored()
    {
        var filter = RunsQuery.Parse("Exploded", null, " ", null, null, "nonsense", null, -3);

        Assert.Equal(new RunListFilter(), filter);
    }
}
