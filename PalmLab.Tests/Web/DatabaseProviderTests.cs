using PalmLab.Web.Data;
using PalmLab.Web.Options;

namespace PalmLab.Tests.Web;

/// <summary>PalmLab:ConnectionString choosing the database: nothing to connect to is needed.</summary>
public sealed class DatabaseProviderTests
{
    [Fact]
    public void From_NoConnectionString_IsTheSqliteFileAtDatabasePath()
    {
        var provider = DatabaseProvider.From(new PalmLabOptions { DatabasePath = "data/runs.db" });

        Assert.Equal(DatabaseKind.Sqlite, provider.Kind);
        Assert.Equal(Path.GetFullPath("data/runs.db"), provider.Location);
        Assert.IsNotType<PostgresPalmLabDbContext>(provider.CreateDbContext(provider.Options()));
    }

    [Theory]
    [InlineData("Host=db.example;Database=palmlab;Username=palmlab;Password=secret", DatabaseKind.Postgres)]
    [InlineData("host=127.0.0.1;port=55432;username=palmlab", DatabaseKind.Postgres)]
    [InlineData("Server=db.example;Database=palmlab", DatabaseKind.Postgres)]
    [InlineData("Data Source=/srv/palmlab/runs.db", DatabaseKind.Sqlite)]
    [InlineData("DataSource=runs.db;Mode=ReadWriteCreate", DatabaseKind.Sqlite)]
    public void Choose_ConnectionString_PicksTheProviderItsKeysName(string connectionString, DatabaseKind expected)
    {
        var provider = DatabaseProvider.Choose(connectionString, "data/ignored.db");

        Assert.Equal(expected, provider.Kind);
        Assert.Equal(connectionString, provider.ConnectionString);
    }

    [Fact]
    public void CreateDbContext_Postgres_IsTheContextTypeThatHasThePostgresMigrations()
    {
        var provider = DatabaseProvider.Choose("Host=db.example;Database=palmlab", "");

        using var db = provider.CreateDbContext(provider.Options());

        Assert.IsType<PostgresPalmLabDbContext>(db);
        Assert.Equal("Npgsql.EntityFrameworkCore.PostgreSQL", db.Database.ProviderName);
    }

    [Fact]
    public void Location_Postgres_NamesHostPortAndDatabaseButNeverThePassword()
    {
        var provider = DatabaseProvider.Choose("Host=db.example;Port=5433;Database=runs;Username=palmlab;Password=secret", "");

        Assert.Equal("db.example:5433 (database runs)", provider.Location);
    }

    [Theory]
    [InlineData("Database=palmlab;Username=palmlab")]
    [InlineData("just some words")]
    public void Choose_NeitherAServerNorAFile_FailsNamingTheSetting(string connectionString)
    {
        var error = Assert.Throws<DatabaseUnavailableException>(() => DatabaseProvider.Choose(connectionString, "data/palmlab.db"));

        Assert.StartsWith("PalmLab:ConnectionString ", error.Message);
    }
}
