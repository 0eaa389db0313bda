using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PalmLab.Tests.Support;
using PalmLab.Web.Data;
using PalmLab.Web.DataSets;
using PalmLab.Web.Options;

namespace PalmLab.Tests.Web;

/// <summary>
/// The real dashboard in-process on Kestrel (a free 127.0.0.1 port), on a real SQLite file in a temp folder (or a fresh
/// PostgreSQL database), with one tiny data set ("tiny": 20 training images at 40 px, no validation folder) and CPU
/// training on one thread, in a child `palmlab job` per run.
/// </summary>
public sealed class PalmLabAppFactory : WebApplicationFactory<Program>
{
    private readonly TempDir _temp = new();
    private readonly Dictionary<string, string?> _settings;
    private readonly string? _urls;
    private readonly PostgresDatabase? _postgres;

    /// <param name="tinyDataSet">Whether to lay out the "tiny" data set (without any, the app generates its demo).</param>
    /// <param name="settings">Extra PalmLab settings, such as DemoImageSize or Auth:Require.</param>
    /// <param name="demoImageSize">
    /// When given, the built-in "demo" data set is generated first at this size, by the code a first start runs, so the
    /// app holds what the README's run command gives (and "tiny" beside it).
    /// </param>
    /// <param name="urls">
    /// The configured listen addresses (the <c>Urls</c> setting), which decide whether sign-in is required; the test
    /// server itself listens on a free 127.0.0.1 port (or <see cref="StartOn"/>'s) whatever this says.
    /// </param>
    /// <param name="database">The run store: SQLite at <see cref="DatabasePath"/>, or a database of its own on the test PostgreSQL server.</param>
    /// <param name="kestrel">
    /// False: the in-memory test server, for tests that train nothing and send requests as from another host or origin.
    /// Its runs stay queued (MaxConcurrentRuns 0): a training process would report to the configured address, where
    /// nothing of this test listens.
    /// </param>
    public PalmLabAppFactory(bool tinyDataSet = true, Dictionary<string, string?>? settings = null, int? demoImageSize = null,
        string? urls = null, DatabaseKind database = DatabaseKind.Sqlite, bool kestrel = true)
    {
        _settings = settings ?? [];
        _urls = urls;
        if (database == DatabaseKind.Postgres)
        {
            _postgres = new PostgresDatabase();
            _settings["ConnectionString"] = _postgres.ConnectionString;
        }
        DataSetsDir = _temp.Sub("datasets");
        if (demoImageSize is { } size)
        {
            var demo = new PalmLabOptions { DataSetsDir = DataSetsDir, DemoImageSize = size };
            DemoDataSet.EnsureAsync(demo, NullLogger.Instance, CancellationToken.None).GetAwaiter().GetResult();
        }
        if (tinyDataSet)
        {
            TestImages.WriteTrainingFolder(Path.Combine(DataSetsDir, "tiny", "PALM-Training400"), normal: 8, high: 2, pathologic: 10, size: 40);
        }
        DatabasePath = _temp.File("palmlab.db");
        CheckpointsDir = _temp.Sub("checkpoints");
        // On Kestrel on a free loopback port: a run trains in a child `palmlab job` that reports to the dashboard's own
        // address, which an in-memory test server does not have. CreateClient targets it.
        if (kestrel)
        {
            UseKestrel(server => server.Listen(IPAddress.Loopback, 0));
        }
        else
        {
            _settings.TryAdd("MaxConcurrentRuns", "0");
        }
    }

    public string DataSetsDir { get; }

    public string DatabasePath { get; }

    /// <summary>The PostgreSQL database's connection string, when the app runs on one.</summary>
    public string? ConnectionString => _postgres?.ConnectionString;

    public string CheckpointsDir { get; }

    /// <summary>A small, fast run on "tiny" as POST /api/runs takes it.</summary>
    public static object TinyRun(int epochs = 2) => new { dataSet = "tiny", preset = "quick", depth = 18, imageSize = 32, batchSize = 4, epochs };

    /// <summary>
    /// Starts the app on Kestrel on a free 127.0.0.1 port (instead of the in-memory test server), so that a real
    /// browser can reach it, and returns its address.
    /// </summary>
    public Uri StartOnFreePort() => StartOn(0);

    /// <summary>Starts the app on Kestrel on 127.0.0.1:<paramref name="port"/> (0: a free one) and returns its address.</summary>
    public Uri StartOn(int port)
    {
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var address = addresses?.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel started but reported no listening address.");
        return new Uri(address.TrimEnd('/') + "/");
    }

    /// <summary>A port free at the moment, for an app whose address must be known before it starts.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // As users run it: Production, where errors must not show stack traces and static web assets still load.
        builder.UseEnvironment("Production");
        var settings = new Dictionary<string, string?>
        {
            ["PalmLab:DatabasePath"] = DatabasePath,
            ["PalmLab:CheckpointsDir"] = CheckpointsDir,
            ["PalmLab:DataSetsDir"] = DataSetsDir,
            ["PalmLab:BackbonesDir"] = Path.Combine(DataSetsDir, "..", "backbones"),
            ["PalmLab:Device"] = "cpu",
            ["PalmLab:Threads"] = "1",
        };
        foreach (var (key, value) in _settings)
        {
            settings["PalmLab:" + key] = value;
        }
        if (_urls is not null)
        {
            settings["Urls"] = _urls;
        }
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(settings));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _postgres?.Dispose();
            _temp.Dispose();
        }
    }
}
