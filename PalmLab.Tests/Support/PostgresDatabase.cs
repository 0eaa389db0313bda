using Npgsql;

namespace PalmLab.Tests.Support;

/// <summary>A fresh, empty database of its own on the test PostgreSQL server, dropped on dispose.</summary>
public sealed class PostgresDatabase : IDisposable
{
    public PostgresDatabase()
    {
        Name = $"palmlab_test_{Guid.NewGuid():N}";
        Execute($"CREATE DATABASE {Name}");
        ConnectionString = new NpgsqlConnectionStringBuilder(PostgresServer.AdminConnectionString) { Database = Name }.ConnectionString;
    }

    public string Name { get; }

    /// <summary>What PalmLab:ConnectionString takes.</summary>
    public string ConnectionString { get; }

    public void Dispose()
    {
        // FORCE ends the connections still open on it: pooled ones of the app, or those of a process the test killed.
        NpgsqlConnection.ClearAllPools();
        Execute($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }

    private static void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(PostgresServer.AdminConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
