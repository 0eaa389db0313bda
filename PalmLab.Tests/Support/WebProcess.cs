using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PalmLab.Tests.Support;

/// <summary>The dashboard as a real child process on a free loopback port, for tests that kill it.</summary>
public sealed class WebProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private WebProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts PalmLab.Web.dll (built beside the tests) with the given PalmLab settings and waits until /health answers
    /// 200: the database opens and the training worker runs.
    /// </summary>
    public static async Task<WebProcess> StartAsync(IReadOnlyDictionary<string, string> settings, int port = 0)
    {
        port = port == 0 ? FreePort() : port;
        var address = new Uri($"http://127.0.0.1:{port}/");
        var web = new WebProcess(Process.Start(StartInfo(settings, address))!, address);
        web._process.OutputDataReceived += (_, e) => web.Append(e.Data);
        web._process.ErrorDataReceived += (_, e) => web.Append(e.Data);
        web._process.BeginOutputReadLine();
        web._process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = address };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var lastHealth = "no answer";
        while (true)
        {
            Assert.False(web._process.HasExited, $"PalmLab.Web exited during start-up:\n{web.Output}");
            try
            {
                using var health = await http.GetAsync("/health");
                if (health.IsSuccessStatusCode)
                {
                    return web;
                }
                lastHealth = $"{(int)health.StatusCode} {await health.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException e)
            {
                lastHealth = e.Message;
            }
            Assert.True(DateTime.UtcNow < deadline, $"PalmLab.Web was not healthy in 60 s (last /health: {lastHealth}):\n{web.Output}");
            await Task.Delay(200);
        }
    }

    /// <summary>Runs PalmLab.Web.dll until it exits by itself, as a start-up that must fail does; its exit code and stderr.</summary>
    public static async Task<(int ExitCode, string StdErr)> RunUntilExitAsync(IReadOnlyDictionary<string, string> settings)
    {
        using var process = Process.Start(StartInfo(settings, new Uri($"http://127.0.0.1:{FreePort()}/")))!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"PalmLab.Web was still running after 60 s:\n{await stderr}");
        }
        return (process.ExitCode, await stderr);
    }

    /// <summary>
    /// SIGKILL: no shutdown code runs, as when the machine loses power; with <paramref name="entireProcessTree"/> false,
    /// the dashboard's process alone, as when the kernel's OOM killer picks it (its children live on).
    /// </summary>
    public void KillHard(bool entireProcessTree = true)
    {
        _process.Kill(entireProcessTree);
        _process.WaitForExit();
    }

    /// <summary>SIGKILL of the dashboard alone: its local training children (each in a session of its own) go on.</summary>
    public void KillAlone() => KillHard(entireProcessTree: false);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            KillHard();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>How the published dashboard is started on <paramref name="address"/>, with <c>PalmLab:</c> settings from the environment.</summary>
    public static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> settings, Uri address)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "PalmLab.Web.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(address.ToString().TrimEnd('/'));
        foreach (var (key, value) in settings)
        {
            start.Environment["PalmLab__" + key] = value;
        }
        return start;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
