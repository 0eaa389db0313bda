using System.Diagnostics;

namespace PalmLab.Tests.Support;

/// <summary>
/// The single-node Slurm cluster and the PostgreSQL server of scripts/test-cluster.sh, started once per test run (the
/// script is idempotent) and left running for the next; it fails, never skips, when Slurm, munge or PostgreSQL are missing.
/// </summary>
public static class TestCluster
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Settings = new(Start);

    public static string Folder { get; } = Path.Combine(Path.GetTempPath(), "palmlab-cluster");

    /// <summary>The slurm.conf of the test cluster (SLURM_CONF).</summary>
    public static string SlurmConf => Settings.Value["SLURM_CONF"];

    /// <summary>A connection string to the test PostgreSQL server's maintenance database.</summary>
    public static string Postgres => Settings.Value["PALMLAB_TEST_POSTGRES"];

    /// <summary>Runs a Slurm command against the test cluster; its standard output.</summary>
    public static string Slurm(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["SLURM_CONF"] = SlurmConf;
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), $"{tool} {string.Join(' ', args)} did not finish in 60 s");
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', args)} failed ({process.ExitCode}): {error.Result}");
        return output.Result;
    }

    private static IReadOnlyDictionary<string, string> Start()
    {
        var script = Path.Combine(RepoPaths.Root, "scripts", "test-cluster.sh");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("start");
        start.ArgumentList.Add(Folder);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{script} start did not finish in 2 minutes");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"The test cluster did not start ({script} start exited {process.ExitCode}): {error.Result.Trim()} " +
                "The cluster tests need Debian's slurm-wlm, munge and postgresql (apt-get install -y slurm-wlm munge postgresql; .ci/run does it) and root.");
        }
        return output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1]);
    }
}
