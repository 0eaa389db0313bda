using Microsoft.EntityFrameworkCore;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Tests.Web;

/// <summary>The runs list's query, on SQLite and on PostgreSQL: filters, sorts and pages must come out the same on both.</summary>
public abstract class RunListQueryTests(DatabaseKind database) : IAsyncLifetime
{
    private readonly RunListSeed _seed = new(database);
    private Run _alpha = null!, _beta = null!, _gamma = null!, _delta = null!;

    public sealed class Sqlite() : RunListQueryTests(DatabaseKind.Sqlite);

    public sealed class Postgres() : RunListQueryTests(DatabaseKind.Postgres);

    public async Task InitializeAsync()
    {
        var demo = _seed.NewDataSet("demo");
        var pm = _seed.NewDataSet("ichallenge-pm");
        _alpha = RunListSeed.NewRun(demo, "alpha", 1, tags: "baseline,alpha", epochs: [(0.80, 0.70), (0.90, 0.75)]);
        _beta = RunListSeed.NewRun(demo, "beta", 2, RunStatus.Running, depth: 50, tags: "alphabet", notes: "Tried Gamma correction", epochs: [(0.95, 0.72)]);
        _gamma = RunListSeed.NewRun(pm, "gamma", 3, RunStatus.Failed, depth: 50, tags: "baseline");
        _delta = RunListSeed.NewRun(pm, "delta", 4, RunStatus.Queued, depth: 101);
        await _seed.AddAsync(_alpha, _beta, _gamma, _delta);
    }

    public Task DisposeAsync()
    {
        _seed.Dispose();
        return Task.CompletedTask;
    }

    private async Task<List<string>> NamesAsync(RunListFilter filter)
    {
        await using var db = await _seed.Factory.CreateDbContextAsync();
        return [.. (await RunListQuery.PageAsync(db, filter, CancellationToken.None)).Items.Select(r => r.Name)];
    }

    [Fact]
    public async Task PageAsync_NoFilter_ListsEveryRunNewestFirstWithBestMetricsAndEpochCount()
    {
        await using var db = await _seed.Factory.CreateDbContextAsync();

        var page = await RunListQuery.PageAsync(db, new RunListFilter(), CancellationToken.None);

        Assert.Equal(["delta", "gamma", "beta", "alpha"], page.Items.Select(r => r.Name));
        Assert.Equal(4, page.TotalCount);
        var alpha = page.Items.Single(r => r.Name == "alpha");
        Assert.Equal((0.90, 0.75, 2, "demo", "ResNet-18 · 64 px"), (alpha.BestAuc, alpha.BestAccuracy, alpha.EpochsDone, alpha.DataSet, alpha.Model));
        Assert.Equal(["baseline", "alpha"], alpha.TagList);
        Assert.Null(page.Items.Single(r => r.Name == "delta").BestAuc);
    }

    [Fact]
    public async Task PageAsync_EachFilter_ReturnsOnlyMatchingRuns()
    {
        Assert.Equal(["beta"], await NamesAsync(new() { Status = RunStatus.Running }));
        Assert.Equal(["gamma", "beta"], await NamesAsync(new() { Depth = 50 }));
        Assert.Equal(["delta", "gamma"], await NamesAsync(new() { DataSet = "ichallenge-pm" }));
        Assert.Equal(["gamma", "alpha"], await NamesAsync(new() { Tag = "baseline" }));
        Assert.Equal(["beta"], await NamesAsync(new() { Tag = "alphabet" }));
        Assert.Equal(["beta"], await NamesAsync(new() { Search = "gamma correction" }));
        Assert.Equal(["gamma", "beta"], await NamesAsync(new() { Search = "GAMMA" }));
        Assert.Equal(["gamma"], await NamesAsync(new() { Depth = 50, Tag = "baseline", Status = RunStatus.Failed }));
        Assert.Empty(await NamesAsync(new() { DataSet = "nowhere" }));
    }

    [Theory]
    [InlineData(true, new[] { "beta", "alpha", "delta", "gamma" })]
    [InlineData(false, new[] { "gamma", "delta", "alpha", "beta" })]
    public async Task PageAsync_SortByBestAuc_OrdersByEachRunsBestEpoch(bool descending, string[] expected)
    {
        // Runs without an AUC sort below every AUC: first ascending and last descending; the id breaks the tie.
        Assert.Equal(expected, await NamesAsync(new() { Sort = RunSortKey.Auc, Descending = descending }));
    }

    [Fact]
    public async Task PageAsync_SortByNameAscending_IsAlphabetical()
    {
        Assert.Equal(["alpha", "beta", "delta", "gamma"], await NamesAsync(new() { Sort = RunSortKey.Name, Descending = false }));
    }

    [Fact]
    public async Task PageAsync_SecondPageOfTwo_ReturnsTheRestAndTheWholeCount()
    {
        await using var db = await _seed.Factory.CreateDbContextAsync();

        var page = await RunListQuery.PageAsync(db, new() { Page = 1, PageSize = 3 }, CancellationToken.None);

        Assert.Equal(["alpha"], page.Items.Select(r => r.Name));
        Assert.Equal(4, page.TotalCount);
    }

    [Fact]
    public async Task PageAsync_TenThousandRuns_PagesInSqlAndMaterialisesOnlyOnePage()
    {
        var many = _seed.NewDataSet("many");
        await _seed.AddAsync([.. Enumerable.Range(0, 10_000).Select(i =>
            RunListSeed.NewRun(many, $"run {i}", 100 + i, epochs: i % 100 == 0 ? [(i / 20_000.0, 0.5)] : []))]);
        await using var db = await _seed.Factory.CreateDbContextAsync();
        var filter = new RunListFilter { DataSet = "many", Sort = RunSortKey.Auc, Page = 3, PageSize = 25 };

        var sql = RunListQuery.Paged(db, filter).ToQueryString();
        var page = await RunListQuery.PageAsync(db, filter, CancellationToken.None);

        Assert.Contains("LIMIT", sql);
        Assert.Contains("OFFSET", sql);
        Assert.Equal(25, page.Items.Count);
        Assert.Equal(10_000, page.TotalCount);
        Assert.Empty(db.ChangeTracker.Entries());
        // Best AUC descending: the 100 runs with an epoch come first, highest first; page 4 (from 0) begins at the 76th.
        Assert.Equal("run 2400", page.Items[0].Name);
    }

    [Fact]
    public async Task PageAsync_CrossValidatedRun_ShowsTheFoldMeanAndStdOfTheFinalEpochAndSortsByIt()
    {
        var cv = RunListSeed.NewRun(_seed.NewDataSet("folds"), "cv", 5);
        cv.Options = cv.Options with { Epochs = 2, Folds = 3, Holdout = null };
        // Epoch 1 is better than the final epoch in fold 1: the list still shows the final epoch's mean.
        cv.EpochMetrics =
        [
            new EpochMetric { Fold = 1, Epoch = 1, Auc = 0.99, Accuracy = 0.99 },
            new EpochMetric { Fold = 1, Epoch = 2, Auc = 0.90, Accuracy = 0.80 },
            new EpochMetric { Fold = 2, Epoch = 2, Auc = 0.92, Accuracy = 0.85 },
            new EpochMetric { Fold = 3, Epoch = 2, Auc = 0.97, Accuracy = 0.75 },
        ];
        await _seed.AddAsync(cv);
        await using var db = await _seed.Factory.CreateDbContextAsync();

        var page = await RunListQuery.PageAsync(db, new RunListFilter { Sort = RunSortKey.Auc, Descending = true }, CancellationToken.None);

        var row = page.Items.Single(r => r.Name == "cv");
        Assert.Equal((3, 3), (row.Folds, row.FoldsFinished));
        Assert.Equal((0.90 + 0.92 + 0.97) / 3, row.BestAuc!.Value, 1e-12);
        Assert.Equal(0.80, row.BestAccuracy!.Value, 1e-12);
        // Sample std by hand: deviations from 0.93 are -0.03, -0.01, 0.04; from 0.80, 0, 0.05, -0.05.
        Assert.Equal(Math.Sqrt((0.0009 + 0.0001 + 0.0016) / 2), row.AucStd!.Value, 1e-9);
        Assert.Equal(0.05, row.AccuracyStd!.Value, 1e-9);
        Assert.Equal(6, row.Epochs);
        Assert.Equal(["beta", "cv", "alpha"], page.Items.Where(r => r.BestAuc is not null).Select(r => r.Name));
        Assert.Null(page.Items.Single(r => r.Name == "alpha").AucStd);
    }
}
