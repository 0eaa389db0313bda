using Microsoft.EntityFrameworkCore;

namespace PalmLab.Web.Data;

/// <summary>
/// The factory everything injects: it makes the context type whose migrations fit the configured database, so code
/// asks for a <see cref="PalmLabDbContext"/> whatever the database is.
/// </summary>
public sealed class PalmLabDbContextFactory(DbContextOptions<PalmLabDbContext> options, DatabaseProvider provider) : IDbContextFactory<PalmLabDbContext>
{
    public PalmLabDbContext CreateDbContext() => provider.CreateDbContext(options);
}
