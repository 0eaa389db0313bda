using static PalmLab.Bench.Timing;

namespace PalmLab.Bench;

/// <summary>
/// `childtracker BEFORE AFTER DIR [pairs=3] [epochs=3]`: the tracker benchmark (`tracker`) for two builds in one
/// invocation. Each build's web app is started once on its own copy of the folder's images; in every round each build
/// trains the quick preset (ResNet-18, 64 px, batch 16, 80/20 holdout) with its own `palmlab train` and then through its
/// web app (the order of the builds swaps every round). A build's ratio is its web app's img/s over its CLI's within
/// each pair; the median over the pairs is held to the tracker's goal (within 3%). The web app's CPU is given apart
/// from that of its reaped children (where a training child's shows).
/// </summary>
public static class ChildTrackerBench
{
    public static void Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task RunAsync(string[] args)
    {
        var (before, after) = Build.FromArgs(args, "childtracker");
        var dir = args.Length > 2 ? args[2] : throw new ArgumentException("childtracker needs the training folder");
        int pairs = Arg(args, 3, 3), epochs = Arg(args, 4, 3);
        var work = Directory.CreateTempSubdirectory("palmlab-childtracker-");
        var apps = new Dictionary<Build, (WebServerProcess Web, HttpClient Client, int DataSetId, string Images)>();
        try
        {
            foreach (var build in new[] { before, after })
            {
                var data = Path.Combine(work.FullName, build.Name);
                var images = TrackerBench.CopyDataSet(dir, data, int.MaxValue);
                var web = await WebServerProcess.StartAsync(build.WebDir, Path.Combine(data, "palmlab.db"), data, TimeSpan.FromSeconds(90),
                    new Dictionary<string, string>(), CancellationToken.None);
                var client = new HttpClient { BaseAddress = web.BaseAddress, Timeout = TimeSpan.FromMinutes(1) };
                apps[build] = (web, client, await TrackerBench.DataSetIdAsync(client), images);
            }
            var ratios = new Dictionary<Build, List<double>> { [before] = [], [after] = [] };
            for (var round = 1; round <= pairs; round++)
            {
                foreach (var build in Build.Alternating(before, after, round))
                {
                    var (web, client, dataSetId, images) = apps[build];
                    var (cli, cliCpu) = TrackerBench.Cli(build.CliDll, images, Path.Combine(work.FullName, $"cli-{build.Name}-{round}"), epochs);
                    var self = web.CpuTimes();
                    var children = ProcFs.ReapedChildrenCpu(web.ProcessId);
                    var app = await TrackerBench.WebAsync(client, dataSetId, epochs);
                    await ChildrenExitedAsync(web);
                    var selfAfter = web.CpuTimes();
                    var childrenAfter = ProcFs.ReapedChildrenCpu(web.ProcessId);
                    ratios[build].Add(app / cli);
                    Console.WriteLine(Text(
                        $"childtracker pair {round} {build.Name}: palmlab train {cli:F1} img/s (CPU {TrackerBench.Cpu(cliCpu)}), web app {app:F1} img/s (CPU: web process {TrackerBench.Cpu(Minus(selfAfter, self))}, its reaped children {TrackerBench.Cpu(Minus(childrenAfter, children))}): {app / cli:F3}x"));
                }
            }
            foreach (var build in new[] { before, after })
            {
                var ratio = MedianOf(ratios[build]);
                Console.WriteLine(Text(
                    $"childtracker {build.Name}: the web app trains at {ratio:F3}x the CLI's img/s (pairs {string.Join(", ", ratios[build].Select(r => r.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))}; median of {pairs}; goal within 3%: {(ratio >= 0.97 ? "met" : "missed")})"));
            }
        }
        finally
        {
            foreach (var (web, client, _, _) in apps.Values)
            {
                client.Dispose();
                await web.DisposeAsync();
            }
            work.Delete(recursive: true);
        }
    }

    /// <summary>
    /// A run reads Completed once its child's last report is in, a moment before the child exits and is reaped: its CPU
    /// counts among the dashboard's reaped children only then. Waits for that, at most a minute.
    /// </summary>
    private static async Task ChildrenExitedAsync(WebServerProcess web)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (ProcFs.Descendants(web.ProcessId).Count > 0 && clock.Elapsed < TimeSpan.FromMinutes(1))
        {
            await Task.Delay(100);
        }
    }

    private static (TimeSpan User, TimeSpan System) Minus((TimeSpan User, TimeSpan System) a, (TimeSpan User, TimeSpan System) b) =>
        (a.User - b.User, a.System - b.System);
}
