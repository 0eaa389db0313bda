using Microsoft.EntityFrameworkCore;

namespace PalmLab.Web.Data;

/// <summary>
/// The same model on PostgreSQL. A type of its own only so that it has its own migrations (Data/Migrations/Postgres):
/// EF Core matches migrations to a context type, and SQLite's would build the wrong column types here.
/// </summary>
public sealed class PostgresPalmLabDbContext(DbContextOptions<PalmLabDbContext> options) : PalmLabDbContext(options);
