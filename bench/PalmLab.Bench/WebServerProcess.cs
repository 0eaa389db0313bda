using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace PalmLab.Bench;

/// <summary>
/// The real dashboard as a child process (its memory and CPU its own), Production, from the PalmLab.Web.dll that the
/// project reference puts beside the benchmark (or another build's folder), on a free loopback port, with its data in <c>dataDir</c>.
/// </summary>
public sealed class WebServerProcess : IAsyncDisposable
{
    private const int KeptLines = 40;
    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private WebServerProcess(Process process, Uri address)
    {
        _process = process;
        BaseAddress = address;
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    /// <summary>Starts the app on <paramref name="databasePath"/> and returns once GET /health answers 200.</summary>
    public static Task<WebServerProcess> StartAsync(string databasePath, string dataDir, TimeSpan deadline, CancellationToken ct) =>
        StartAsync(AppContext.BaseDirectory, databasePath, dataDir, deadline, new Dictionary<string, string>(), ct);

    /// <summary>
    /// Starts the PalmLab.Web.dll of <paramref name="appDir"/> (a build's output folder) with <paramref name="environment"/>
    /// added to the usual settings, and returns once GET /health answers 200.
    /// </summary>
    public static async Task<WebServerProcess> StartAsync(string appDir, string databasePath, string dataDir, TimeSpan deadline,
        IReadOnlyDictionary<string, string> environment, CancellationToken ct)
    {
        var server = Start(appDir, databasePath, dataDir, environment);
        try
        {
            await server.WaitHealthyAsync(deadline, ct);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the app and returns at once, before it listens (the start-up benchmark times what follows).</summary>
    public static WebServerProcess Start(string appDir, string databasePath, string dataDir, IReadOnlyDictionary<string, string> environment)
    {
        var appDll = Path.Combine(appDir, "PalmLab.Web.dll");
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            // The content root, where appsettings.json and the static web assets manifest are.
            WorkingDirectory = appDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(appDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(address.ToString().TrimEnd('/'));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["PalmLab__DatabasePath"] = databasePath;
        start.Environment["PalmLab__CheckpointsDir"] = Path.Combine(dataDir, "checkpoints");
        start.Environment["PalmLab__DataSetsDir"] = Path.Combine(dataDir, "datasets");
        start.Environment["PalmLab__DemoData"] = "false";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"dotnet {appDll} did not start");
        ChildProcesses.Track(process);
        var server = new WebServerProcess(process, address);
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>User and system CPU time of the process so far.</summary>
    public (TimeSpan User, TimeSpan System) CpuTimes() => ProcFs.Cpu(_process.Id);

    /// <summary>The process's resident memory in MiB, from /proc.</summary>
    public double RssMiB() => Status("VmRSS:");

    /// <summary>The most resident memory the process has had, in MiB.</summary>
    public double PeakRssMiB() => Status("VmHWM:");

    private double Status(string field) => ProcFs.StatusBytes(_process.Id.ToString(CultureInfo.InvariantCulture), field) / 1048576.0;

    public string OutputTail()
    {
        lock (_output)
        {
            return string.Join(Environment.NewLine, _output);
        }
    }

    private async Task WaitHealthyAsync(TimeSpan deadline, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var clock = Stopwatch.StartNew();
        var last = "no answer";
        while (clock.Elapsed < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The web app exited with code {_process.ExitCode} before /health answered:{Environment.NewLine}{OutputTail()}");
            }
            try
            {
                using var response = await http.GetAsync("/health", ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
                last = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            await Task.Delay(200, ct);
        }
        throw new TimeoutException($"The web app at {BaseAddress} was not healthy within {deadline.TotalSeconds:F0} s (last: {last}):{Environment.NewLine}{OutputTail()}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > KeptLines)
            {
                _output.Dequeue();
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine($"scale: the web app (pid {_process.Id}) did not exit within 10 s of being killed");
            }
        }
        ChildProcesses.Forget(_process);
        _process.Dispose();
    }
}
