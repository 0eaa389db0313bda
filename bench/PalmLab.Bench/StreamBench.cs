using System.Diagnostics;
using System.Net;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PalmLab.Engine.Training;
using PalmLab.Web.Data;
using PalmLab.Web.Extensions;
using PalmLab.Web.Runs;
using static PalmLab.Bench.Timing;

namespace PalmLab.Bench;

/// <summary>
/// `stream [seconds=60] [rate=2000] [clients=50]`: issue 11's live stream and persistence check. Hosts the real web app
/// in this process (temp database, Kestrel on a free loopback port), connects the clients from a child process, and
/// emits a synthetic run's batch losses through the path a job's reports take (<see cref="BatchLossRows"/> in one
/// transaction per half second, as a child's report carries them, and <see cref="RunNotifier.BatchCompleted"/>) on a fixed schedule. Prints the server's extra CPU over an idle window
/// with the same clients, the latency from emit to client, and whether every point was delivered and stored.
/// </summary>
public static class StreamBench
{
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(10);
    // The emitter wakes this often and sends the points due: a training loop's steps, compressed.
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan ReportEvery = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ResultDeadline = TimeSpan.FromSeconds(90);
    private const double CpuGoal = 5, P99Goal = 200;

    public static void Run(string[] args)
    {
        if (args.FirstOrDefault() == StreamClients.Mode)
        {
            StreamClients.RunAsync(args[1..], CancellationToken.None).GetAwaiter().GetResult();
            return;
        }
        RunAsync(Arg(args, 0, 60), Arg(args, 1, 2000), Arg(args, 2, 50), CancellationToken.None).GetAwaiter().GetResult();
    }

    private static async Task RunAsync(int seconds, int rate, int clients, CancellationToken cancellationToken)
    {
        var total = seconds * rate;
        var temp = Directory.CreateTempSubdirectory("palmlab-stream-").FullName;
        Process? child = null;
        try
        {
            await using var app = BuildApp(temp);
            await app.InitializePalmLabAsync(cancellationToken);
            app.MapHub<RunsHub>(RunsHub.Path);
            await app.StartAsync(cancellationToken);
            var url = app.Urls.First();
            var warmUpRunId = await AddRunningRunAsync(app.Services, temp, "warm-up", cancellationToken);
            var runId = await AddRunningRunAsync(app.Services, temp, "measured", cancellationToken);
            Console.Error.WriteLine(Text($"stream: app at {url} ({(GCSettings.IsServerGC ? "server" : "workstation")} GC), runs {warmUpRunId} (warm-up) and {runId}; starting {clients} clients"));

            child = StartClients(url, warmUpRunId, runId, clients, total);
            await ExpectAsync(child, StreamClients.Ready, ReadyDeadline, cancellationToken);

            // Without a warm-up the measured window would pay for the JIT compiling and tiering the code the stream runs
            // through (the warm-up's 10 s cost about four times the steady rate) and would show start-up latencies.
            var (warmUp, _) = await EmitRunAsync(app.Services, child, warmUpRunId, (int)WarmUp.TotalSeconds * rate, rate, cancellationToken);
            var before = await MeasureAsync(child, () => Task.Delay(IdleWindow, cancellationToken));
            Console.Error.WriteLine(Text(
                $"stream: warm-up {WarmUp.TotalSeconds:0} s: server {warmUp.Server:F1}%; idle with {clients} clients: server {before.Server:F1}%, clients {before.Clients:F1}% of one core; emitting {total} points"));

            // When each message left the notifier (its last step, Unix ticks), to tell the server's share of the latency.
            var sent = new List<(long LastStep, long At)>();
            using var sends = app.Services.GetRequiredService<RunNotifier>().Subscribe(e =>
            {
                if (e is BatchLossesEvent { Points: [.., var last] } && e.RunId == runId)
                {
                    lock (sent)
                    {
                        sent.Add((last.Step, DateTimeOffset.UtcNow.UtcTicks));
                    }
                }
            });
            var (busy, emitted) = await EmitRunAsync(app.Services, child, runId, total, rate, cancellationToken);
            // A second baseline after the run. The lower of the two is used, which makes the extra CPU the larger.
            var after = await MeasureAsync(child, () => Task.Delay(IdleWindow, cancellationToken));
            var idle = after.Server <= before.Server ? after : before;

            var emitFile = Path.Combine(temp, "emitted.bin");
            await File.WriteAllBytesAsync(emitFile, MemoryMarshal.AsBytes(emitted.AsSpan()).ToArray(), cancellationToken);
            await child.StandardInput.WriteLineAsync($"{StreamClients.Done} {emitFile}".AsMemory(), cancellationToken);
            await child.StandardInput.FlushAsync(cancellationToken);
            var result = JsonSerializer.Deserialize<StreamClientsResult>(
                await ExpectAsync(child, StreamClients.Result, ResultDeadline, cancellationToken), StreamClientsResult.Json)!;
            var (stored, distinct) = await StoredAsync(app.Services, runId, cancellationToken);
            await StopClientsAsync(child, cancellationToken);

            Console.Error.WriteLine(Text(
                $"stream: emitting: server {busy.Server:F1}% (kernel {busy.ServerKernel:F1}%), clients {busy.Clients:F1}% of one core over {busy.Seconds:F1} s; idle after: server {after.Server:F1}%; {ToSend(emitted, sent)}; duplicates {result.Duplicates}, unknown steps {result.OutOfRange}, distinct stored steps {distinct}"));
            Console.WriteLine(Summary(seconds, rate, clients, total, idle, busy, result, stored));
            await app.StopAsync(cancellationToken);
        }
        finally
        {
            if (child is { HasExited: false })
            {
                child.Kill(entireProcessTree: true);
            }
            child?.Dispose();
            SqliteConnection.ClearAllPools();
            Directory.Delete(temp, recursive: true);
        }
    }

    private static WebApplication BuildApp(string temp)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, ContentRootPath = temp });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PalmLab:DatabasePath"] = Path.Combine(temp, "palmlab.db"),
            ["PalmLab:CheckpointsDir"] = Path.Combine(temp, "checkpoints"),
            ["PalmLab:DataSetsDir"] = Path.Combine(temp, "datasets"),
            ["PalmLab:DemoData"] = "false",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Applying the migrations to a new file warns about SQLite table rebuilds; nothing to see in a benchmark.
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Migrations", LogLevel.Error);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.AddPalmLabWeb();
        return builder.Build();
    }

    // Added after start-up, which turns runs left Running into Interrupted; the worker only takes Queued runs.
    private static async Task<int> AddRunningRunAsync(IServiceProvider services, string temp, string name, CancellationToken cancellationToken)
    {
        var dbFactory = services.GetRequiredService<IDbContextFactory<PalmLabDbContext>>();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow;
        var run = new Run
        {
            Name = name,
            Status = RunStatus.Running,
            DataSet = await db.DataSets.OrderBy(d => d.Id).FirstOrDefaultAsync(cancellationToken) ?? new DataSet { Name = "stream", Path = temp, TrainDir = temp, CreatedAt = now },
            Options = TrainingPresets.Quick,
            Device = "cpu",
            CreatedAt = now,
            StartedAt = now,
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        return run.Id;
    }

    // Emits a run's points through the executor's path, and ends the run as the executor does: the writer flushes its
    // last points, then the status goes out after them.
    private static async Task<(CpuShare Cpu, long[] Emitted)> EmitRunAsync(
        IServiceProvider services, Process child, int runId, int total, int rate, CancellationToken cancellationToken)
    {
        var notifier = services.GetRequiredService<RunNotifier>();
        var points = Points(total);
        var emitted = Array.Empty<long>();
        var writer = new ReportRows(services.GetRequiredService<IDbContextFactory<PalmLabDbContext>>(), runId);
        var cpu = await MeasureAsync(child, () => Task.Factory.StartNew(
            () => emitted = Emit(runId, rate, writer, notifier, points), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default));
        writer.Flush();
        await notifier.StatusChangedAsync(runId, RunStatus.Completed, null);
        return (cpu, emitted);
    }

    // Emits step k (1-based) once (k - 1) / rate seconds have passed, on a thread of its own as training runs, and
    // returns when each step was handed to the notifier (Unix ticks).
    private static long[] Emit(int runId, int rate, ReportRows writer, RunNotifier notifier, BatchPoint[] points)
    {
        var emitted = new long[points.Length];
        var clock = Stopwatch.StartNew();
        var next = 0;
        for (var tick = 1; next < points.Length; tick++)
        {
            var due = (int)Math.Min(points.Length, (long)(clock.Elapsed.TotalSeconds * rate) + 1);
            for (; next < due; next++)
            {
                emitted[next] = DateTimeOffset.UtcNow.UtcTicks;
                writer.Add(points[next]);
                notifier.BatchCompleted(runId, points[next]);
            }
            writer.FlushEvery(ReportEvery);
            var wait = Tick * tick - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                Thread.Sleep(wait);
            }
        }
        return emitted;
    }

    // Made before the measured window: computing the losses is the training's work, not the app's. Values with all
    // their digits, as a real loss curve and learning rate schedule have.
    private static BatchPoint[] Points(int total) => [.. Enumerable.Range(1, total).Select(step => new BatchPoint(
        step, step / 1000 + 1, 0.7 * Math.Exp(-3.0 * step / total) + 0.01 * Math.Sin(step), 1e-3 * 0.5 * (1 + Math.Cos(Math.PI * step / total))))];

    private static Process StartClients(string url, int warmUpRunId, int runId, int clients, int total)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark's own executable is unknown.");
        var start = new ProcessStartInfo(host) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(StreamBench).Assembly.Location);
        }
        foreach (var arg in new[] { "stream", StreamClients.Mode, url, Text($"{warmUpRunId}"), Text($"{runId}"), Text($"{clients}"), Text($"{total}") })
        {
            start.ArgumentList.Add(arg);
        }
        return Process.Start(start) ?? throw new InvalidOperationException($"Could not start the client process {host}.");
    }

    // The rest of the first line of the child's output that starts with the keyword; other lines are passed on.
    private static async Task<string> ExpectAsync(Process child, string keyword, TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        try
        {
            while (await child.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line == keyword || line.StartsWith(keyword + " ", StringComparison.Ordinal))
                {
                    return line[keyword.Length..].Trim();
                }
                Console.Error.WriteLine($"clients: {line}");
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The client process sent no '{keyword}' within {deadline.TotalSeconds:0} s.");
        }
        await child.WaitForExitAsync(cancellationToken);
        throw new InvalidOperationException($"The client process exited with code {child.ExitCode} before it sent '{keyword}' (its errors are above).");
    }

    private static async Task StopClientsAsync(Process child, CancellationToken cancellationToken)
    {
        child.StandardInput.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await child.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine("stream: the client process did not exit within 30 s; it is killed");
        }
    }

    private static async Task<CpuShare> MeasureAsync(Process child, Func<Task> work)
    {
        var (server, kernel, clients, wall) = (ServerCpu(), ServerKernelCpu(), ClientsCpu(child), Stopwatch.StartNew());
        await work();
        var seconds = wall.Elapsed.TotalSeconds;
        return new CpuShare(
            (ServerCpu() - server).TotalSeconds / seconds * 100,
            (ServerKernelCpu() - kernel).TotalSeconds / seconds * 100,
            (ClientsCpu(child) - clients).TotalSeconds / seconds * 100,
            seconds);
    }

    private static TimeSpan ServerCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    // On loopback the kernel's TCP work for both ends is mostly charged to the sender.
    private static TimeSpan ServerKernelCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.PrivilegedProcessorTime;
    }

    private static TimeSpan ClientsCpu(Process child)
    {
        child.Refresh();
        return child.TotalProcessorTime;
    }

    // From emit to the notifier's send, the coalescing part of the latency.
    private static string ToSend(long[] emitted, List<(long LastStep, long At)> sent)
    {
        var delays = new List<double>(emitted.Length);
        var step = 0;
        foreach (var (lastStep, at) in sent)
        {
            for (; step < lastStep && step < emitted.Length; step++)
            {
                delays.Add(TimeSpan.FromTicks(at - emitted[step]).TotalMilliseconds);
            }
        }
        delays.Sort();
        return Text($"emit to send p50 {Percentile(delays, 0.5):F0} ms p99 {Percentile(delays, 0.99):F0} ms max {(delays.Count > 0 ? delays[^1] : double.NaN):F0} ms");
    }

    private static async Task<(int Rows, int DistinctSteps)> StoredAsync(IServiceProvider services, int runId, CancellationToken cancellationToken)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<PalmLabDbContext>>().CreateDbContextAsync(cancellationToken);
        var rows = db.BatchLosses.Where(b => b.RunId == runId);
        return (await rows.CountAsync(cancellationToken), await rows.Select(b => b.Step).Distinct().CountAsync(cancellationToken));
    }

    private static string Summary(int seconds, int rate, int clients, int total, CpuShare idle, CpuShare busy, StreamClientsResult result, int stored)
    {
        var extra = busy.Server - idle.Server;
        var delivered = result.FewestDelivered == total && result.Duplicates == 0 && result.OutOfRange == 0
            ? Text($"delivered {total}/{total} to each of {clients} clients")
            : Text($"delivered only {result.FewestDelivered}/{total} to the worst of {clients} clients ({result.Duplicates} duplicates, {result.OutOfRange} unknown steps)");
        return Text(
            $"stream: {rate} events/s for {seconds} s, {clients} clients: server CPU {extra:+0.0;-0.0}% of one core (idle {idle.Server:F1}%, clients' process {busy.Clients:F1}%), latency p50 {result.P50:F0} ms p95 {result.P95:F0} ms p99 {result.P99:F0} ms max {result.Max:F0} ms, {delivered}, stored {stored}/{total} (goals: CPU < {CpuGoal:0}%: {Met(extra < CpuGoal)}, p99 < {P99Goal:0} ms: {Met(result.P99 < P99Goal)})");
    }

    private static string Met(bool met) => met ? "met" : "missed";
}

// The rows a child's reports bring: a group of batch points every half second (ReportSender's pace), written in one
// transaction as JobReportRecorder writes them.
internal sealed class ReportRows(IDbContextFactory<PalmLabDbContext> dbFactory, int runId)
{
    private readonly List<BatchPoint> _pending = [];
    private readonly Stopwatch _sinceFlush = Stopwatch.StartNew();

    public void Add(BatchPoint point) => _pending.Add(point);

    public void FlushEvery(TimeSpan period)
    {
        if (_sinceFlush.Elapsed >= period)
        {
            Flush();
        }
    }

    public void Flush()
    {
        _sinceFlush.Restart();
        if (_pending.Count == 0)
        {
            return;
        }
        using var db = dbFactory.CreateDbContext();
        db.Database.OpenConnection();
        using var transaction = db.Database.BeginTransaction();
        BatchLossRows.InsertAsync(db, runId, _pending, CancellationToken.None).GetAwaiter().GetResult();
        transaction.Commit();
        _pending.Clear();
    }
}
