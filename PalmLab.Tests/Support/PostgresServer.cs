namespace PalmLab.Tests.Support;

/// <summary>
/// The PostgreSQL 15 server of the test cluster (<see cref="TestCluster"/>: scripts/test-cluster.sh), on
/// 127.0.0.1 (port 55432, or the free port the script moved to). Where PostgreSQL is missing the tests that need it fail, saying what to install: they never skip.
/// </summary>
public static class PostgresServer
{
    private const string Binaries = "/usr/lib/postgresql/15/bin";

    /// <summary>A connection string to the server's maintenance database ("postgres"), as user palmlab.</summary>
    public static string AdminConnectionString => File.Exists(Path.Combine(Binaries, "initdb"))
        ? TestCluster.Postgres
        : throw new InvalidOperationException(
            $"PostgreSQL 15 is not installed ({Binaries}/initdb is missing); the run store's tests run against PostgreSQL as well as SQLite. Install it: apt-get install postgresql");
}
