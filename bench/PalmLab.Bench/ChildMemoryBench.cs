using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using static PalmLab.Bench.Timing;

namespace PalmLab.Bench;

/// <summary>
/// `childmemory BEFORE AFTER DIR [tries=2] [limit=40] [depth=50] [size=224] [batch=10] [epochs=1]`: the dashboard's
/// resident memory while a run trains, two builds alternating. Each try starts a fresh web app on LIMIT of the
/// folder's images (evenly spaced by name: every class keeps its share), opens / once, and queues a run (80/20 holdout,
/// the given model, size, batch and epochs); while it trains, every 250 ms, it reads VmRSS of the dashboard and of every process that is its descendant or carries its address on
/// its command line (a training child), and keeps each one's last VmHWM. Memory per step does not depend on how many
/// steps there are, so a few suffice.
/// </summary>
public static class ChildMemoryBench
{
    public static void Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task RunAsync(string[] args)
    {
        var (before, after) = Build.FromArgs(args, "childmemory");
        var dir = args.Length > 2 ? args[2] : throw new ArgumentException("childmemory needs the training folder");
        int tries = Arg(args, 3, 2), limit = Arg(args, 4, 40), depth = Arg(args, 5, 50), size = Arg(args, 6, 224), batch = Arg(args, 7, 10), epochs = Arg(args, 8, 1);
        var results = new Dictionary<Build, List<Sample>> { [before] = [], [after] = [] };
        for (var round = 1; round <= tries; round++)
        {
            foreach (var build in Build.Alternating(before, after, round))
            {
                var sample = await TrainOnceAsync(build, dir, limit, new { preset = "quick", holdout = 0.2, depth, imageSize = size, batchSize = batch, epochs });
                results[build].Add(sample);
                Console.WriteLine(Text(
                    $"childmemory try {round} {build.Name}: ResNet-{depth} {size} px batch {batch}, {epochs} epoch(s) of {limit} images in {sample.Seconds:F0} s: dashboard VmRSS idle {sample.Idle:F0} MiB, peak while training {sample.DashboardPeak:F0} MiB, after {sample.DashboardAfter:F0} MiB, VmHWM {sample.DashboardHwm:F0} MiB; {Children(sample)}"));
            }
        }
        foreach (var build in new[] { before, after })
        {
            var r = results[build];
            Console.WriteLine(Text(
                $"childmemory {build.Name}: median of {tries}: dashboard VmRSS idle {MedianOf(r.Select(s => s.Idle)):F0} MiB, peak while training {MedianOf(r.Select(s => s.DashboardPeak)):F0} MiB, VmHWM {MedianOf(r.Select(s => s.DashboardHwm)):F0} MiB; training child(ren) peak VmRSS {MedianOf(r.Select(s => s.ChildrenPeak)):F0} MiB, largest VmHWM {MedianOf(r.Select(s => s.ChildHwm)):F0} MiB"));
        }
    }

    private sealed record Sample(double Seconds, double Idle, double DashboardPeak, double DashboardAfter, double DashboardHwm,
        double ChildrenPeak, double ChildHwm, IReadOnlyList<string> ChildCommands);

    private static string Children(Sample s) => s.ChildCommands.Count == 0
        ? "no training child seen"
        : Text($"training child(ren) peak VmRSS {s.ChildrenPeak:F0} MiB, largest VmHWM {s.ChildHwm:F0} MiB ({string.Join("; ", s.ChildCommands)})");

    private static async Task<Sample> TrainOnceAsync(Build build, string dir, int limit, object options)
    {
        var work = Directory.CreateTempSubdirectory("palmlab-childmemory-");
        try
        {
            TrackerBench.CopyDataSet(dir, work.FullName, limit);
            await using var web = await WebServerProcess.StartAsync(build.WebDir, Path.Combine(work.FullName, "palmlab.db"), work.FullName,
                TimeSpan.FromSeconds(90), new Dictionary<string, string>(), CancellationToken.None);
            using var client = new HttpClient { BaseAddress = web.BaseAddress, Timeout = TimeSpan.FromMinutes(1) };
            (await client.GetAsync("/")).EnsureSuccessStatusCode();
            var idle = web.RssMiB();
            var body = JsonSerializer.SerializeToNode(options)!.AsObject();
            body["dataSetId"] = await TrackerBench.DataSetIdAsync(client);
            using var queued = await client.PostAsJsonAsync("/api/runs", body);
            if (!queued.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{build.Name}: POST /api/runs answered {(int)queued.StatusCode}: {await queued.Content.ReadAsStringAsync()}");
            }
            var id = (await queued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
            var clock = Stopwatch.StartNew();
            var dashboardPeak = 0.0;
            var childrenPeak = 0.0;
            var childHwm = new Dictionary<int, double>();
            var commands = new Dictionary<int, string>();
            var nextPoll = TimeSpan.Zero;
            while (true)
            {
                dashboardPeak = Math.Max(dashboardPeak, web.RssMiB());
                var live = 0.0;
                foreach (var pid in ProcFs.Descendants(web.ProcessId).Union(ProcFs.ProcessesWith(web.BaseAddress.Authority, web.ProcessId)))
                {
                    try
                    {
                        var key = pid.ToString(CultureInfo.InvariantCulture);
                        live += ProcFs.StatusBytes(key, "VmRSS:") / 1048576.0;
                        childHwm[pid] = ProcFs.StatusBytes(key, "VmHWM:") / 1048576.0;
                        commands.TryAdd(pid, ProcFs.CommandLine(pid, 3));
                    }
                    catch (Exception e) when (e is IOException or InvalidOperationException)
                    {
                        // Gone between the listing and the read (or a zombie, which has no memory lines).
                    }
                }
                childrenPeak = Math.Max(childrenPeak, live);
                if (clock.Elapsed >= nextPoll)
                {
                    nextPoll = clock.Elapsed + TimeSpan.FromMilliseconds(500);
                    var status = (await client.GetFromJsonAsync<JsonElement>($"/api/runs/{id}")).GetProperty("status").GetString();
                    if (status == "Completed")
                    {
                        break;
                    }
                    if (status is "Failed" or "Cancelled" or "Interrupted" || clock.Elapsed > TimeSpan.FromMinutes(15))
                    {
                        throw new InvalidOperationException($"{build.Name}: run {id} did not complete within 15 minutes: {status}{Environment.NewLine}{web.OutputTail()}");
                    }
                }
                await Task.Delay(250);
            }
            var seconds = clock.Elapsed.TotalSeconds;
            return new Sample(seconds, idle, dashboardPeak, web.RssMiB(), web.PeakRssMiB(), childrenPeak,
                childHwm.Count == 0 ? 0 : childHwm.Values.Max(), commands.Select(c => $"pid {c.Key}: {c.Value}").ToList());
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
