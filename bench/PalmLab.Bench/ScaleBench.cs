using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using PalmLab.Web.Components.Pages.Compare;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;
using static PalmLab.Bench.Timing;

namespace PalmLab.Bench;

/// <summary>
/// `scale [runs=10000] [losses=1000000]`: the dashboard on a large database (issue 11, points 6 and 7). Seeds a temporary
/// database, starts the real web app as a child process and times, from this process over loopback (an upper bound of the
/// server's time), the runs list API and page, one run's long curve thinned to 2,000 points, a run page and the compare
/// page with 10 runs; then opens 100 run pages in Chromium and reports the app's memory.
/// </summary>
public static class ScaleBench
{
    private const int Warmup = 3;
    private const int MaxRequests = 40;
    private const int MinRequests = 10;
    private const int CurvePoints = 2000;
    private const int ComparedRuns = 10;
    private const int OpenedRuns = 100;
    private const int PageChanges = 15;
    private static readonly TimeSpan PerEndpoint = TimeSpan.FromSeconds(12);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(string[] args)
    {
        int runs = Arg(args, 0, 10_000), losses = Arg(args, 1, 1_000_000);
        // The whole mode, so a hang anywhere ends with a message rather than stalling bench/run.sh.
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        var ct = deadline.Token;
        // Other work on the machine moves every time here: the load says how much.
        Console.WriteLine($"scale: load average at start {LoadAverage()}");
        var dir = Directory.CreateTempSubdirectory("palmlab-scale-").FullName;
        try
        {
            var databasePath = Path.Combine(dir, "palmlab.db");
            var clock = Stopwatch.StartNew();
            var data = await ScaleSeed.CreateAsync(databasePath, runs, losses, ct);
            Console.WriteLine(Text($"scale: seeded {data.Runs.Count:N0} runs, {data.EpochRows:N0} epoch rows, {data.LossRows:N0} batch losses in {clock.Elapsed.TotalSeconds:F1} s (database {new FileInfo(databasePath).Length / 1048576.0:F0} MiB)"));

            clock.Restart();
            await using var server = await WebServerProcess.StartAsync(databasePath, dir, TimeSpan.FromSeconds(90), ct);
            var rssStart = server.RssMiB();
            Console.WriteLine(Text($"scale: web app healthy in {clock.Elapsed.TotalSeconds:F1} s (pid {server.ProcessId}, RSS {rssStart:F0} MiB)"));
            try
            {
                await MeasureAsync(server, databasePath, data, rssStart, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Console.Error.WriteLine($"scale: failed; the web app's last output:{Environment.NewLine}{server.OutputTail()}");
                throw;
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException("scale: the benchmark ran past its 6-minute deadline");
        }
        finally
        {
            Console.WriteLine($"scale: load average at end {LoadAverage()}");
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task MeasureAsync(WebServerProcess server, string databasePath, ScaleData data, double rssStart, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var big = data.Big;
        var compared = new[] { big.Id }.Concat(data.Runs.Where(r => r.Id != big.Id && r.Folds is null && r.EpochsDone > 0).TakeLast(ComparedRuns - 1).Select(r => r.Id)).ToList();
        var curve = $"/api/runs/{big.Id}/batch-losses?points={CurvePoints}";
        var shown = JsonSerializer.Deserialize<JsonElement>(await http.GetStringAsync(curve, ct)).GetArrayLength();

        // As clients page through the list: the default page, and the largest one asked for.
        Console.WriteLine((await TimeAsync(http, "/api/runs", ct)).Line(Text($"runs list API, default page of 100 of {data.Runs.Count:N0} runs (GET /api/runs)")));
        Console.WriteLine((await TimeAsync(http, "/api/runs?limit=1000", ct)).Line(Text($"runs list API, largest page of 1,000 runs (GET /api/runs?limit=1000)")));
        Console.WriteLine((await TimeAsync(http, "/api/runs?status=Failed&tag=lr", ct)).Line("runs list API, filtered (GET /api/runs?status=Failed&tag=lr)"));
        Console.WriteLine((await TimeAsync(http, "/", ct)).Line("runs page HTML, prerendered without its rows (GET /)"));
        Console.WriteLine((await TimeAsync(http, curve, ct)).Line(Text($"curve API, {data.BigPoints:N0} points thinned to {shown:N0} (GET {curve})")));
        Console.WriteLine((await TimeAsync(http, $"/runs/{big.Id}", ct)).Line(Text($"run page HTML, prerendered with its curve (GET /runs/{big.Id})")));
        var compare = "/compare?runs=" + string.Join(",", compared);
        Console.WriteLine((await TimeAsync(http, compare, ct)).Line($"compare page HTML, {compared.Count} runs, prerendered (GET {compare})"));
        await ReadInProcessAsync(databasePath, big.Id, compared, ct);

        await using (var browser = await ScaleBrowser.LaunchAsync(server.BaseAddress))
        {
            foreach (var sort in new[] { "", "sort=auc&desc=true" })
            {
                var (label, times) = await ChangePagesAsync(browser, databasePath, sort, ct);
                Console.WriteLine(Latency.Of(times, 0).Line($"runs page in Chromium, {label}: link to another page until its rows show", server: false));
            }
            var rssBefore = server.RssMiB();
            var opened = await OpenRunsAsync(browser, data, ct);
            var rssAfter = server.RssMiB();
            Console.WriteLine(Latency.Of(opened, 0).Line($"run page in Chromium, {OpenedRuns} different runs: link until its title and loss chart show", server: false));
            await Task.Delay(Settle, ct);
            Console.WriteLine(Text($"scale: web app memory RSS after start {rssStart:F0} MiB, before opening runs {rssBefore:F0} MiB, after opening {OpenedRuns} runs {rssAfter:F0} MiB, after {Settle.TotalSeconds:F0} s idle {server.RssMiB():F0} MiB (peak {server.PeakRssMiB():F0} MiB)"));
        }
    }

    // What the run and compare pages read, timed in this process (steadier than over HTTP on a loaded machine): the pages'
    // server time without rendering.
    private static async Task ReadInProcessAsync(string databasePath, int bigId, List<int> compared, CancellationToken ct)
    {
        var options = new DbContextOptionsBuilder<PalmLabDbContext>().UseSqlite($"Data Source={databasePath};Mode=ReadOnly").Options;
        var factory = new PooledDbContextFactory<PalmLabDbContext>(options);
        Console.WriteLine((await TimeInProcessAsync(() => RunReader.ReadCurveAsync(factory, bigId, CurvePoints, ct)))
            .Line(Text($"curve read in-process, run {bigId} thinned to {CurvePoints:N0} (RunReader.ReadCurveAsync)")));
        Console.WriteLine((await TimeInProcessAsync(() => RunReader.ReadEpochEndsAsync(factory, bigId, ct)))
            .Line(Text($"epoch ends in-process, run {bigId} (RunReader.ReadEpochEndsAsync)")));
        Console.WriteLine((await TimeInProcessAsync(() => CompareLoader.LoadAsync(new RunQueries(factory, TimeProvider.System), compared, ct)))
            .Line(Text($"compare runs in-process, {compared.Count} runs (CompareLoader.LoadAsync)")));
    }

    private static async Task<Latency> TimeInProcessAsync<T>(Func<Task<T>> read)
    {
        for (var i = 0; i < Warmup; i++)
        {
            await read();
        }
        var times = new List<double>();
        for (var i = 0; i < MinRequests * 2; i++)
        {
            var clock = Stopwatch.StartNew();
            await read();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return Latency.Of(times, 0);
    }

    private static string LoadAverage() => string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    // Warm-up, then up to MaxRequests sequential GETs (fewer past PerEndpoint, never under MinRequests), each read to its end.
    private static async Task<Latency> TimeAsync(HttpClient http, string path, CancellationToken ct)
    {
        for (var i = 0; i < Warmup; i++)
        {
            await GetAsync(http, path, ct);
        }
        var times = new List<double>();
        long bytes = 0;
        var total = Stopwatch.StartNew();
        while (times.Count < MaxRequests && (times.Count < MinRequests || total.Elapsed < PerEndpoint))
        {
            var clock = Stopwatch.StartNew();
            bytes = await GetAsync(http, path, ct);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return Latency.Of(times, bytes);
    }

    private static async Task<long> GetAsync(HttpClient http, string path, CancellationToken ct)
    {
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        }
        return (await response.Content.ReadAsByteArrayAsync(ct)).LongLength;
    }

    // Pages 2.. of one sort, each reached by a link in the same circuit; the first row the app's own query gives tells when
    // it shows. That query (count and page, as the page runs it) is timed here too, in this process: the page's server time
    // without rendering.
    private static async Task<(string Label, List<double> Times)> ChangePagesAsync(ScaleBrowser browser, string databasePath, string sort, CancellationToken ct)
    {
        var label = sort.Length == 0 ? "newest first" : "sorted by best AUC";
        var filter = RunsQueryFilter(sort);
        var firstIds = new List<int>();
        var queryTimes = new List<double>();
        var options = new DbContextOptionsBuilder<PalmLabDbContext>().UseSqlite($"Data Source={databasePath};Mode=ReadOnly").Options;
        for (var page = 0; page <= PageChanges; page++)
        {
            await using var db = new PalmLabDbContext(options);
            var clock = Stopwatch.StartNew();
            var rows = await RunListQuery.PageAsync(db, filter with { Page = page }, ct);
            // Page 0 (the first, loaded in full below) warms the query up.
            if (page > 0)
            {
                queryTimes.Add(clock.Elapsed.TotalMilliseconds);
                firstIds.Add(rows.Items[0].Id);
            }
        }
        Console.WriteLine(Latency.Of(queryTimes, 0).Line($"runs list query in-process, {label} (RunListQuery.PageAsync: count and one page of 25)"));
        var prefix = sort.Length == 0 ? "/?" : $"/?{sort}&";
        await browser.LoadAsync(sort.Length == 0 ? "/" : "/?" + sort);
        var times = new List<double>();
        for (var page = 1; page <= PageChanges; page++)
        {
            times.Add(await browser.FollowAsync($"{prefix}page={page + 1}", $"page {page + 1} of the runs list to show run {firstIds[page - 1]} first",
                "id => document.querySelector('.runs-table tbody tr a')?.getAttribute('href') === '/runs/' + id", firstIds[page - 1]));
        }
        return (label, times);
    }

    private static RunListFilter RunsQueryFilter(string sort) =>
        sort.Length == 0 ? new RunListFilter() : new RunListFilter { Sort = RunSortKey.Auc, Descending = true };

    // The newest runs with a curve, the long one first: each opened by a link, as from the runs list.
    private static async Task<List<double>> OpenRunsAsync(ScaleBrowser browser, ScaleData data, CancellationToken ct)
    {
        var runs = new[] { data.Big }.Concat(data.Runs.Where(r => r.Id != data.Big.Id && r.Folds is null && r.EpochsDone > 0).TakeLast(OpenedRuns - 1)).ToList();
        await browser.LoadAsync("/");
        var times = new List<double>();
        foreach (var run in runs)
        {
            ct.ThrowIfCancellationRequested();
            times.Add(await browser.FollowAsync($"/runs/{run.Id}", $"run {run.Id}'s title and loss chart",
                "title => document.title === title && document.querySelector('.run-loss-chart .apexcharts-canvas') !== null", $"{run.Name} · PalmLab"));
        }
        return times;
    }
}
