using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PalmLab.Web.Data.Configurations;

public sealed class RunCheckpointConfiguration : IEntityTypeConfiguration<RunCheckpoint>
{
    public void Configure(EntityTypeBuilder<RunCheckpoint> builder)
    {
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(10);
        builder.HasIndex(c => new { c.RunId, c.Kind }).IsUnique();
    }
}
