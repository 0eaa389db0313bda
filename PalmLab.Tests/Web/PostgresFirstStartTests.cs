using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using PalmLab.Tests.Support;

namespace PalmLab.Tests.Web;

/// <summary>A first start on a PostgreSQL database that does not exist yet creates it, and says nothing alarming.</summary>
public sealed class PostgresFirstStartTests
{
    [Fact]
    public async Task Startup_DatabaseNotCreatedYet_CreatesItAndLogsNoError()
    {
        var name = $"palmlab_test_{Guid.NewGuid():N}";
        var connectionString = new NpgsqlConnectionStringBuilder(PostgresServer.AdminConnectionString) { Database = name }.ConnectionString;
        var logs = new LogCapture();
        try
        {
            using (var root = new PalmLabAppFactory(settings: new() { ["ConnectionString"] = connectionString }, kestrel: false))
            using (var app = root.WithWebHostBuilder(web => web.ConfigureLogging(logging => logging.AddProvider(logs))))
            {
                var health = await app.CreateClient().GetAsync("/health");
                Assert.True(health.IsSuccessStatusCode, $"/health answered {health.StatusCode}");
            }

            var errors = logs.Entries.Where(e => e.Level >= LogLevel.Error).Select(e => e.ToString()).ToList();
            Assert.True(errors.Count == 0, "a first start logged errors:\n" + string.Join("\n", errors));
            Assert.Equal(1, await ScalarAsync("SELECT count(*)::int FROM pg_database WHERE datname = @name", name));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ScalarAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", null);
        }
    }

    private static async Task<object?> ScalarAsync(string sql, string? name)
    {
        await using var connection = new NpgsqlConnection(PostgresServer.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        if (name is not null)
        {
            command.Parameters.AddWithValue("name", name);
        }
        return await command.ExecuteScalarAsync();
    }
}
