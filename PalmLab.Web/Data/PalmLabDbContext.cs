using Microsoft.EntityFrameworkCore;

namespace PalmLab.Web.Data;

/// <summary>The run store. On PostgreSQL the app makes a <see cref="PostgresPalmLabDbContext"/>, which has the same model.</summary>
public class PalmLabDbContext(DbContextOptions<PalmLabDbContext> options) : DbContext(options)
{
    public DbSet<DataSet> DataSets => Set<DataSet>();

    public DbSet<Run> Runs => Set<Run>();

    public DbSet<BatchLoss> BatchLosses => Set<BatchLoss>();

    public DbSet<EpochMetric> EpochMetrics => Set<EpochMetric>();

    public DbSet<RunCheckpoint> Checkpoints => Set<RunCheckpoint>();

    public DbSet<Sweep> Sweeps => Set<Sweep>();

    public DbSet<SavedPreset> SavedPresets => Set<SavedPreset>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PalmLabDbContext).Assembly);

    // SQLite cannot order or compare DateTimeOffset values; Unix milliseconds sort as times do. PostgreSQL stores them
    // the same way, so both databases hold the same values and every query means the same on each.
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToUnixMillisecondsConverter>();
    }
}
