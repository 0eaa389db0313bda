using Microsoft.EntityFrameworkCore.Design;

namespace PalmLab.Web.Data;

/// <summary>
/// What `dotnet ef` builds the contexts with, without starting the app:
/// `dotnet ef migrations add NAME --context PalmLabDbContext --output-dir Data/Migrations` (SQLite) and
/// `dotnet ef migrations add NAME --context PostgresPalmLabDbContext --output-dir Data/Migrations/Postgres`.
/// Adding a migration never connects; the connection strings only choose the provider.
/// </summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<PalmLabDbContext>, IDesignTimeDbContextFactory<PostgresPalmLabDbContext>
{
    public PalmLabDbContext CreateDbContext(string[] args) => new(DatabaseProvider.Choose(null, "data/palmlab.db").Options());

    PostgresPalmLabDbContext IDesignTimeDbContextFactory<PostgresPalmLabDbContext>.CreateDbContext(string[] args) =>
        new(DatabaseProvider.Choose("Host=localhost;Database=palmlab", "").Options());
}
