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
        string? Text(string key) => Convert.ToString(query[key], System.Globalization.CultureInfo.InvariantCulture);
        var parsed = RunsQuery.Parse(Text("status"), Text("depth"), Text("dataset"), Text("tag"), Text("q"), Text("sort"), Text("desc"), Text("page"));

        Assert.Equal(("Running", "auc", true, 2), ((string?)query["status"], (string?)query["sort"], (bool?)query["desc"], (int?)query["page"]));
        Assert.Equal(filter, parsed);
    }

    [Theory]
    [InlineData("auc", null, false)]
    [InlineData("created", null, false)]
    [InlineData(null, null, true)]
    [InlineData("name", "true", true)]
    [InlineData("name", "1", true)]
    [InlineData("auc", "FALSE", false)]
    public void Parse_SortWithoutDesc_IsAscendingAsAHeaderClickStarts(string? sort, string? desc, bool expected)
    {
        Assert.Equal(expected, RunsQuery.Parse(null, null, null, null, null, sort, desc, null).Descending);
    }

    [Fact]
    public void Parse_UnknownStatusAndPageBelowOne_AreIgnored()
    {
        var filter = RunsQuery.Parse("Exploded", null, " ", null, null, "nonsense", null, "-3");

        Assert.Equal(new RunListFilter(), filter);
    }

    [Theory]
    [InlineData("abc", "abc", "abc", "abc", "abc")]
    [InlineData("7", "18.5", "maybe", "99999999999", "2")]
    [InlineData("1", "", "yes", "1.5", "-1")]
    [InlineData("", " ", "", "1000001", "")]
    public void Parse_MalformedValues_AreIgnoredAsIfAbsent(string status, string depth, string desc, string page, string sort)
    {
        var filter = RunsQuery.Parse(status, depth, null, null, null, sort, desc, page);

        Assert.Equal(new RunListFilter(), filter);
    }

    [Fact]
    public void Parse_WellFormedValues_AreRead()
    {
        var filter = RunsQuery.Parse(" running ", " 34 ", null, null, null, "AUC", "0", "1000000");

        Assert.Equal((RunStatus.Running, 34, RunSortKey.Auc, false, 999_999), (filter.Status, filter.Depth, filter.Sort, filter.Descending, filter.Page));
    }
}
