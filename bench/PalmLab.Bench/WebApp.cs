using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PalmLab.Bench;

/// <summary>
/// The real web app (PalmLab.Web.dll from this benchmark's output folder) in a child process, on a free loopback port,
/// in Production, with its database, checkpoints and data sets under <paramref name="root"/>.
/// </summary>
public sealed class WebApp : IAsyncDisposable
{
    private readonly Process _process;

    private WebApp(Process process, Uri address)
    {
        _process = process;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public int ProcessId => _process.Id;

    public static async Task<WebApp> StartAsync(string root, IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "PalmLab.Web.dll"), "--Urls", address.ToString()])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["PalmLab__DatabasePath"] = Path.Combine(root, "palmlab.db");
        start.Environment["PalmLab__CheckpointsDir"] = Path.Combine(root, "checkpoints");
        start.Environment["PalmLab__DataSetsDir"] = Path.Combine(root, "datasets");
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        Directory.CreateDirectory(Path.Combine(root, "datasets"));
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start PalmLab.Web.dll");
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var app = new WebApp(process, address);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the web app exited with code {process.ExitCode} while starting:\n{log}");
            }
            try
            {
                using var health = await app.Client.GetAsync("/health");
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return app;
                }
            }
            catch (HttpRequestException)
            {
            }
            if (deadline.Elapsed > TimeSpan.FromSeconds(90))
            {
                await app.DisposeAsync();
                throw new TimeoutException($"the web app did not answer /health within 90 s:\n{log}");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>User and system CPU time of the app's process so far.</summary>
    public (TimeSpan User, TimeSpan System) CpuTimes() => ProcessCpu.Of(_process.Id);

    /// <summary>Resident memory of the app's process.</summary>
    public long ResidentBytes() => MemoryBench.Resident(_process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
