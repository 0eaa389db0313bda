using System.Diagnostics;

namespace PalmLab.Tests.Support;

/// <summary>
/// The PostgreSQL 15 server that scripts/test-cluster.sh starts on 127.0.0.1:55432, started once per test run. The
/// script is idempotent and the server is left running, so later runs find it up. Where PostgreSQL is missing the tests
/// that need it fail, saying what to install: they never skip.
/// </summary>
public static class PostgresServer
{
    private const string Binaries = "/usr/lib/postgresql/15/bin";
    private const string SettingPrefix = "PALMLAB_TEST_POSTGRES=";

    // A failed start is remembered: every test that needs the server fails with the same message, at once.
    private static readonly Lazy<string> Started = new(Start);

    /// <summary>A connection string to the server's maintenance database ("postgres"), as user palmlab.</summary>
    public static string AdminConnectionString => Started.Value;

    private static string Start()
    {
        if (!File.Exists(Path.Combine(Binaries, "initdb")))
        {
            throw new InvalidOperationException(
                $"PostgreSQL 15 is not installed ({Binaries}/initdb is missing); the run store's tests run against PostgreSQL as well as SQLite. Install it: apt-get install postgresql");
        }
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepoPaths.Root, "scripts", "test-cluster.sh"));
        start.ArgumentList.Add("start");
        using var script = Process.Start(start)!;
        var stdout = script.StandardOutput.ReadToEndAsync();
        var stderr = script.StandardError.ReadToEndAsync();
        if (!script.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            script.Kill(entireProcessTree: true);
            throw new TimeoutException("scripts/test-cluster.sh start did not finish in 3 minutes");
        }
        var output = stdout.Result + stderr.Result;
        if (script.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/test-cluster.sh start failed with exit code {script.ExitCode}:\n{output}");
        }
        return output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(SettingPrefix, StringComparison.Ordinal))?[SettingPrefix.Length..]
            ?? throw new InvalidOperationException($"scripts/test-cluster.sh start printed no {SettingPrefix} line:\n{output}");
    }
}
