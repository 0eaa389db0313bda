using PalmLab.Tests.Support;
using PalmLab.Tests.Web;

namespace PalmLab.Tests.Slurm;

/// <summary>
/// A dashboard with the Slurm executor on the test cluster, on a fixed port, over folders the test owns, so that it
/// can be stopped and started again on the same database while its jobs train.
/// </summary>
public sealed class SlurmDashboard : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly int _port = PalmLabAppFactory.FreePort();
    private readonly bool _sharedCheckpoints;
    private readonly PostgresDatabase? _postgres;
    private readonly Dictionary<string, string> _overrides;

    /// <param name="sharedCheckpoints">Jobs write checkpoints to the dashboard's folder (else they upload them).</param>
    /// <param name="postgres">The run store on a database of its own on the test PostgreSQL server (else SQLite).</param>
    /// <param name="overrides">PalmLab settings that replace the defaults below, such as "Slurm:Command".</param>
    public SlurmDashboard(bool sharedCheckpoints, bool postgres = false, Dictionary<string, string>? overrides = null)
    {
        _sharedCheckpoints = sharedCheckpoints;
        _overrides = overrides ?? [];
        _postgres = postgres ? new PostgresDatabase() : null;
        TestImages.WriteTrainingFolder(Path.Combine(_temp.Sub("datasets"), "tiny", "PALM-Training400"), normal: 8, high: 2, pathologic: 10, size: 40);
    }

    public PalmLabAppFactory? App { get; private set; }

    public HttpClient Client { get; private set; } = null!;

    public Uri Address => new($"http://127.0.0.1:{_port}/");

    public string CheckpointsDir => _temp.Sub("checkpoints");

    /// <summary>Starts (or starts again) the dashboard on the same port, database and folders.</summary>
    public void Start()
    {
        App = new PalmLabAppFactory(tinyDataSet: false, Settings.ToDictionary(s => s.Key, s => (string?)s.Value));
        App.StartOn(_port);
        Client = new HttpClient { BaseAddress = Address };
    }

    /// <summary>Starts the dashboard as its own process (to be killed with SIGKILL), on the same port, database and folders.</summary>
    public async Task<WebProcess> StartProcessAsync()
    {
        var process = await WebProcess.StartAsync(Settings, _port);
        Client?.Dispose();
        Client = new HttpClient { BaseAddress = Address };
        return process;
    }

    private Dictionary<string, string> Defaults => new()
    {
        ["DatabasePath"] = _temp.File("palmlab.db"),
        ["CheckpointsDir"] = CheckpointsDir,
        ["DataSetsDir"] = _temp.Sub("datasets"),
        ["Executor"] = "slurm",
        ["Slurm:ServerUrl"] = Address.ToString(),
        ["Slurm:Command"] = $"dotnet {Path.Combine(AppContext.BaseDirectory, "palmlab.dll")}",
        ["Slurm:WorkDir"] = _temp.Sub("slurm"),
        ["Slurm:Conf"] = TestCluster.SlurmConf,
        ["Slurm:SharedCheckpointsDir"] = _sharedCheckpoints ? CheckpointsDir : "",
        ["Slurm:PollSeconds"] = "0.5",
        ["Slurm:Cpus"] = "1",
        ["Slurm:Memory"] = "1G",
        ["Device"] = "cpu",
        ["ConnectionString"] = _postgres?.ConnectionString ?? "",
        };

    private Dictionary<string, string> Settings
    {
        get
        {
            var settings = Defaults;
            foreach (var (key, value) in _overrides)
            {
                settings[key] = value;
            }
            return settings;
        }
    }

    /// <summary>Stops the in-process dashboard; its jobs go on training.</summary>
    public void Stop()
    {
        Client?.Dispose();
        App?.Dispose();
        App = null;
    }

    /// <summary>Rows of a table in the dashboard's PostgreSQL database, read straight from the server.</summary>
    public async Task<long> CountPostgresRowsAsync(string table)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_postgres!.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"SELECT count(*) FROM \"{table}\"", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public string JobOutput(int runId) => string.Join("\n", Directory.EnumerateFiles(Path.Combine(_temp.Sub("slurm"), $"run-{runId}"), "slurm-*.out").Select(File.ReadAllText));

    public void Dispose()
    {
        Stop();
        _postgres?.Dispose();
        _temp.Dispose();
    }
}
