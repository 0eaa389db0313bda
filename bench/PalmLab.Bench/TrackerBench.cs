using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using PalmLab.Engine.Data;
using static PalmLab.Bench.Timing;

namespace PalmLab.Bench;

/// <summary>
/// `tracker DIR [pairs=2] [epochs=3]`: the tracker's overhead. The same run (the quick preset: ResNet-18, 64 px, batch 16,
/// 80/20 holdout) trained by `palmlab train` and queued through the web app (one app, started once, as a user runs it),
/// alternating; img/s of each run is the median of its epochs after the first, and the ratio is taken within each pair.
/// </summary>
public static class TrackerBench
{
    public static void Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task RunAsync(string[] args)
    {
        var dir = args.Length > 0 ? args[0] : throw new ArgumentException("tracker needs the training folder");
        int pairs = Arg(args, 1, 2), epochs = Arg(args, 2, 3);
        var work = Directory.CreateTempSubdirectory("palmlab-tracker-");
        try
        {
            var data = Path.Combine(work.FullName, "web");
            var images = CopyDataSet(dir, data, int.MaxValue);
            await using var web = await WebServerProcess.StartAsync(Path.Combine(data, "palmlab.db"), data, TimeSpan.FromSeconds(90), CancellationToken.None);
            using var client = new HttpClient { BaseAddress = web.BaseAddress, Timeout = TimeSpan.FromMinutes(1) };
            var dataSetId = await DataSetIdAsync(client);
            var ratios = new List<double>();
            for (var pair = 1; pair <= pairs; pair++)
            {
                var (cli, cliCpu) = Cli(Path.Combine(AppContext.BaseDirectory, "palmlab.dll"), images, Path.Combine(work.FullName, $"cli-{pair}"), epochs);
                var before = web.CpuTimes();
                var app = await WebAsync(client, dataSetId, epochs);
                var after = web.CpuTimes();
                ratios.Add(app / cli);
                Console.WriteLine(Text(
                    $"tracker pair {pair}: palmlab train {cli:F1} img/s (CPU {Cpu(cliCpu)}), web app {app:F1} img/s (CPU {Cpu((after.User - before.User, after.System - before.System))}): {app / cli:F3}x"));
            }
            var ratio = MedianOf(ratios);
            Console.WriteLine(Text(
                $"tracker: the web app trains at {ratio:F3}x the CLI's img/s (median of {pairs} pairs; goal within 3%: {(ratio >= 0.97 ? "met" : "missed")})"));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The folder's images as the web app finds a data set: a folder under its data-sets folder
    /// (<paramref name="dataDir"/>/datasets) holding PALM-Training400; returns that folder. With a <paramref name="limit"/>
    /// below their number, evenly spaced ones by name, so that every class (the names' first letter) keeps its share.
    /// </summary>
    internal static string CopyDataSet(string dir, string dataDir, int limit) => EpochBench.CopySpaced(dir, Path.Combine(dataDir, "datasets", "palm"), limit);

    internal static string Cpu((TimeSpan User, TimeSpan System) cpu) => Text($"user {cpu.User.TotalSeconds:F1} s, system {cpu.System.TotalSeconds:F1} s");

    /// <summary>The quick preset trained by the CLI at <paramref name="cliDll"/>: the median img/s of its epochs after the first, and its CPU time.</summary>
    internal static (double ImagesPerSecond, (TimeSpan User, TimeSpan System) Cpu) Cli(string cliDll, string images, string output, int epochs)
    {
        var start = new ProcessStartInfo("dotnet",
            [cliDll, "train", "--train-dir", images, "--preset", "quick", "--holdout", "0.2",
             "--epochs", epochs.ToString(CultureInfo.InvariantCulture), "--out", output])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start palmlab.dll");
        ChildProcesses.Track(process);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // Its CPU time is read until it exits (a reaped process has no /proc entry).
        var cpu = (TimeSpan.Zero, TimeSpan.Zero);
        var deadline = Stopwatch.StartNew();
        while (!process.WaitForExit(TimeSpan.FromMilliseconds(100)))
        {
            try
            {
                cpu = ProcFs.Cpu(process.Id);
            }
            catch (IOException)
            {
            }
            if (deadline.Elapsed > TimeSpan.FromMinutes(20))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("palmlab train did not finish within 20 minutes");
            }
        }
        ChildProcesses.Forget(process);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"palmlab train failed ({process.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
        }
        var rows = File.ReadAllLines(Path.Combine(output, "epochs.csv"));
        var column = Array.IndexOf(rows[0].Split(','), "images_per_second");
        return (MedianOf(rows.Skip(2).Select(r => double.Parse(r.Split(',')[column], CultureInfo.InvariantCulture))), cpu);
    }

    /// <summary>The quick preset queued through the web app: the median img/s of its epochs after the first.</summary>
    internal static async Task<double> WebAsync(HttpClient client, int dataSetId, int epochs)
    {
        using var queued = await client.PostAsJsonAsync("/api/runs", new { dataSetId, preset = "quick", holdout = 0.2, epochs });
        queued.EnsureSuccessStatusCode();
        var id = (await queued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await WaitCompletedAsync(client, id, TimeSpan.FromMinutes(20));
        var rows = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{id}/epochs");
        return MedianOf(rows.EnumerateArray().Skip(1).Select(e => e.GetProperty("imagesPerSecond").GetDouble()));
    }

    /// <summary>The single data set's id (a fresh app's only one).</summary>
    internal static async Task<int> DataSetIdAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/datasets")).EnumerateArray().Single().GetProperty("id").GetInt32();

    /// <summary>Polls the run every 500 ms until it is Completed; throws when it ends otherwise or takes longer than <paramref name="limit"/>.</summary>
    internal static async Task WaitCompletedAsync(HttpClient client, int id, TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var status = (await client.GetFromJsonAsync<JsonElement>($"/api/runs/{id}")).GetProperty("status").GetString();
            if (status == "Completed")
            {
                break;
            }
            if (status is "Failed" or "Cancelled" or "Interrupted" || deadline.Elapsed > limit)
            {
                throw new InvalidOperationException($"web run {id} did not complete within {limit.TotalMinutes:F0} minutes: {status}");
            }
            await Task.Delay(500);
        }
    }
}
