using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PalmLab.Web.Data.Configurations;

public sealed class RunCheckpointConfiguration : IEntityTypeConfiguration<RunCheckpoint>
{
    public void Configure(EntityTypeBuilder<RunCheckpoint> builder)
    {
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(10);
        // A cross-validated run keeps a best and a last per fold.
        builder.HasIndex(c => new { c.RunId, c.Fold, c.Kind }).IsUnique();
    }
}
