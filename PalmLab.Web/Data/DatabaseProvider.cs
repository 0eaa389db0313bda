using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using PalmLab.Web.Options;

namespace PalmLab.Web.Data;

/// <summary>
/// Which database holds the runs: PalmLab:ConnectionString when it is set (Host= for PostgreSQL, Data Source= for a SQLite
/// file), otherwise the SQLite file at PalmLab:DatabasePath.
/// </summary>
public sealed class DatabaseProvider
{
    private DatabaseProvider(DatabaseKind kind, string connectionString)
    {
        Kind = kind;
        ConnectionString = connectionString;
    }

    public DatabaseKind Kind { get; }

    public string ConnectionString { get; }

    public static DatabaseProvider From(PalmLabOptions options) => Choose(options.ConnectionString, options.DatabasePath);

    /// <exception cref="DatabaseUnavailableException">The connection string cannot be read or names neither.</exception>
    public static DatabaseProvider Choose(string? connectionString, string databasePath)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            // A writer waits up to 5 s for another's lock instead of failing at once.
            return new DatabaseProvider(DatabaseKind.Sqlite, $"Data Source={Path.GetFullPath(databasePath)};Default Timeout=5");
        }
        var keys = new DbConnectionStringBuilder();
        try
        {
            keys.ConnectionString = connectionString;
        }
        catch (ArgumentException e)
        {
            throw new DatabaseUnavailableException($"PalmLab:ConnectionString cannot be read: {e.Message}", e);
        }
        if (keys.ContainsKey("Host") || keys.ContainsKey("Server"))
        {
            return new DatabaseProvider(DatabaseKind.Postgres, connectionString);
        }
        if (keys.ContainsKey("Data Source") || keys.ContainsKey("DataSource") || keys.ContainsKey("Filename"))
        {
            return new DatabaseProvider(DatabaseKind.Sqlite, connectionString);
        }
        throw new DatabaseUnavailableException(
            "PalmLab:ConnectionString names neither a PostgreSQL server (Host=...) nor a SQLite file (Data Source=...); leave it empty to use PalmLab:DatabasePath.");
    }

    /// <summary>Where the runs are, for messages: the server and database, or the file; never a password.</summary>
    public string Location
    {
        get
        {
            if (Kind == DatabaseKind.Sqlite)
            {
                return new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString).DataSource;
            }
            var postgres = new NpgsqlConnectionStringBuilder(ConnectionString);
            return $"{postgres.Host}:{postgres.Port} (database {postgres.Database ?? postgres.Username})";
        }
    }

    public DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder) => Kind switch
    {
        DatabaseKind.Postgres => builder.UseNpgsql(ConnectionString),
        _ => builder.UseSqlite(ConnectionString).AddInterceptors(SqliteUnicodeLower.Instance),
    };

    /// <summary>A context of the type whose migrations fit this database.</summary>
    public PalmLabDbContext CreateDbContext(DbContextOptions<PalmLabDbContext> options) => Kind switch
    {
        DatabaseKind.Postgres => new PostgresPalmLabDbContext(options),
        _ => new PalmLabDbContext(options),
    };

    /// <summary>Options for a context outside the app's services (tests, benchmarks, design time).</summary>
    public DbContextOptions<PalmLabDbContext> Options() => (DbContextOptions<PalmLabDbContext>)Configure(new DbContextOptionsBuilder<PalmLabDbContext>()).Options;
}
