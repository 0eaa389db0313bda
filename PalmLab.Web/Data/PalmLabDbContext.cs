using Microsoft.EntityFrameworkCore;

namespace PalmLab.Web.Data;

public sealed class PalmLabDbContext(DbContextOptions<PalmLabDbContext> options) : DbContext(options)
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

    // SQLite cannot order or compare DateTimeOffset values; Unix milliseconds sort as times do.
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToUnixMillisecondsConverter>();
    }
}
