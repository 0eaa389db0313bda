using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Tests.Web;

/// <summary>
/// The one search of runs (RunSearch), as the runs page (RunListQuery.PageAsync) and GET /api/runs (RunListQuery.RunsAsync)
/// run it, on SQLite and on PostgreSQL: text and tags ignore case, Unicode letters included, and the user's text is
/// matched literally.
/// </summary>
public abstract class RunSearchTests(DatabaseKind database) : IAsyncLifetime
{
    private readonly RunListSeed _seed = new(database);

    public sealed class Sqlite() : RunSearchTests(DatabaseKind.Sqlite);

    public sealed class Postgres() : RunSearchTests(DatabaseKind.Postgres);

    public async Task InitializeAsync()
    {
        var demo = _seed.NewDataSet("demo");
        await _seed.AddAsync(
            RunListSeed.NewRun(demo, "Baseline ResNet", 1, tags: "Baseline,Sweep-A"),
            RunListSeed.NewRun(demo, "Über-Lauf", 2, tags: "ÉTÉ", notes: "GRÜSSE AUS MÜNCHEN"),
            RunListSeed.NewRun(demo, "100% crop", 3, tags: "crop_100", notes: "path C:\\data"),
            RunListSeed.NewRun(demo, "a_b", 4, tags: "baseline-old", notes: "GAMMA rays"));
    }

    public Task DisposeAsync()
    {
        _seed.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("baseline", new[] { "Baseline ResNet" })]
    [InlineData("BASELINE RESNET", new[] { "Baseline ResNet" })]
    [InlineData("gamma", new[] { "a_b" })]
    [InlineData("  Gamma  ", new[] { "a_b" })]
    [InlineData("über", new[] { "Über-Lauf" })]
    [InlineData("München", new[] { "Über-Lauf" })]
    [InlineData("%", new[] { "100% crop" })]
    [InlineData("_", new[] { "a_b" })]
    [InlineData("c:\\DATA", new[] { "100% crop" })]
    [InlineData("a%b", new string[0])]
    public async Task Search_IgnoresCaseAndMatchesTextLiterally_OnThePageAndInTheApi(string text, string[] expected)
    {
        var filter = new RunListFilter { Search = text };

        Assert.Equal(expected, await PageNamesAsync(filter));
        Assert.Equal(expected, await ApiNamesAsync(filter));
    }

    [Theory]
    [InlineData("baseline", new[] { "Baseline ResNet" })]
    [InlineData("sweep-a", new[] { "Baseline ResNet" })]
    [InlineData(" BASELINE-OLD ", new[] { "a_b" })]
    [InlineData("été", new[] { "Über-Lauf" })]
    [InlineData("CROP_100", new[] { "100% crop" })]
    [InlineData("crop%", new string[0])]
    [InlineData("base", new string[0])]
    public async Task Tag_MatchesAWholeTagInAnyCase_OnThePageAndInTheApi(string tag, string[] expected)
    {
        var filter = new RunListFilter { Tag = tag };

        Assert.Equal(expected, await PageNamesAsync(filter));
        Assert.Equal(expected, await ApiNamesAsync(filter));
    }

    private async Task<List<string>> PageNamesAsync(RunListFilter filter)
    {
        await using var db = await _seed.Factory.CreateDbContextAsync();
        return [.. (await RunListQuery.PageAsync(db, filter, CancellationToken.None)).Items.Select(r => r.Name)];
    }

    private async Task<List<string>> ApiNamesAsync(RunListFilter filter)
    {
        await using var db = await _seed.Factory.CreateDbContextAsync();
        var (runs, total) = await RunListQuery.RunsAsync(db, filter, 0, 100, CancellationToken.None);
        Assert.Equal(runs.Count, total);
        return [.. runs.Select(r => r.Name)];
    }
}
