using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using static PalmLab.Bench.Timing;

namespace PalmLab.Bench;

/// <summary>
/// `startup BEFORE AFTER [tries=5] [demo=64]`: the web app's cold start in Production, two builds alternating (which goes
/// first swaps every try). Each start gets a fresh temporary database and folders, so it generates the demo data set
/// (800 images of DEMO px, as a new user's first start; 0: no demo, an empty data set folder instead). Start-up: from
/// starting `dotnet PalmLab.Web.dll` to the first 200 of GET / (polled every 20 ms); first page: how long that request
/// took; then a second GET / and the resident memory; the app's own log gives the demo's painting time. Medians over
/// the tries, and the after/before ratio of each try's pair.
/// </summary>
public static partial class StartupBench
{
    public static void Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task RunAsync(string[] args)
    {
        var (before, after) = Build.FromArgs(args, "startup");
        int tries = Arg(args, 2, 5), demo = Arg(args, 3, 64);
        var environment = demo == 0
            ? new Dictionary<string, string>()
            : new Dictionary<string, string> { ["PalmLab__DemoData"] = "true", ["PalmLab__DemoImageSize"] = demo.ToString(CultureInfo.InvariantCulture) };
        Console.WriteLine(demo == 0 ? "startup: no demo data set" : Text($"startup: with the demo data set at {demo} px"));
        var results = new Dictionary<Build, List<Start>> { [before] = [], [after] = [] };
        for (var round = 1; round <= tries; round++)
        {
            foreach (var build in Build.Alternating(before, after, round))
            {
                var start = await StartOnceAsync(build, environment);
                results[build].Add(start);
                Console.WriteLine(Text(
                    $"startup try {round} {build.Name}: first 200 of / after {start.FirstAnswer:F0} ms (that request {start.FirstPage:F0} ms), demo painted in {start.Demo:F0} ms, second / {start.SecondPage:F0} ms, RSS {start.RssMiB:F0} MiB"));
            }
        }
        foreach (var build in new[] { before, after })
        {
            var r = results[build];
            Console.WriteLine(Text(
                $"startup {build.Name} ({build.Root}): median of {tries}: first 200 of / after {MedianOf(r.Select(s => s.FirstAnswer)):F0} ms, first page {MedianOf(r.Select(s => s.FirstPage)):F0} ms, demo {MedianOf(r.Select(s => s.Demo)):F0} ms, second page {MedianOf(r.Select(s => s.SecondPage)):F0} ms, RSS {MedianOf(r.Select(s => s.RssMiB)):F0} MiB"));
        }
        var pairs = results[before].Zip(results[after]).ToList();
        Console.WriteLine(Text(
            $"startup: after/before, median of the {tries} pairs' ratios: start-up {MedianOf(pairs.Select(p => p.Second.FirstAnswer / p.First.FirstAnswer)):F2}x, first page {MedianOf(pairs.Select(p => p.Second.FirstPage / p.First.FirstPage)):F2}x"));
    }

    private sealed record Start(double FirstAnswer, double FirstPage, double SecondPage, double RssMiB, double Demo);

    /// <summary>The app's own log line when the demo is painted (DemoDataSet).</summary>
    [GeneratedRegex(@"Demo data set ready in ([\d.]+) s")]
    private static partial Regex DemoSeconds();

    private static async Task<Start> StartOnceAsync(Build build, IReadOnlyDictionary<string, string> environment)
    {
        var work = Directory.CreateTempSubdirectory("palmlab-startup-");
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            var clock = Stopwatch.StartNew();
            await using var web = WebServerProcess.Start(build.WebDir, Path.Combine(work.FullName, "palmlab.db"), work.FullName, environment);
            client.BaseAddress = web.BaseAddress;
            while (true)
            {
                if (web.HasExited || clock.Elapsed > TimeSpan.FromMinutes(2))
                {
                    throw new InvalidOperationException($"{build.Name}: the web app answered no 200 on / within 2 minutes (exited: {web.HasExited}):{Environment.NewLine}{web.OutputTail()}");
                }
                var request = Stopwatch.StartNew();
                try
                {
                    using var response = await client.GetAsync("/");
                    await response.Content.ReadAsByteArrayAsync();
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        var firstAnswer = clock.Elapsed.TotalMilliseconds;
                        var firstPage = request.Elapsed.TotalMilliseconds;
                        var second = Stopwatch.StartNew();
                        using var again = await client.GetAsync("/");
                        again.EnsureSuccessStatusCode();
                        await again.Content.ReadAsByteArrayAsync();
                        var demo = DemoSeconds().Match(web.OutputTail());
                        return new Start(firstAnswer, firstPage, second.Elapsed.TotalMilliseconds, web.RssMiB(),
                            demo.Success ? double.Parse(demo.Groups[1].Value, CultureInfo.InvariantCulture) * 1000 : 0);
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                await Task.Delay(20);
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
