using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PalmLab.Web.Data.Configurations;

public sealed class RunConfiguration : IEntityTypeConfiguration<Run>
{
    public void Configure(EntityTypeBuilder<Run> builder)
    {
        builder.Property(r => r.Name).HasMaxLength(200);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Schedule).HasConversion<string>().HasMaxLength(20);
        builder.HasOne(r => r.DataSet).WithMany().HasForeignKey(r => r.DataSetId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(r => r.EpochMetrics).WithOne().HasForeignKey(m => m.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(r => r.Checkpoints).WithOne().HasForeignKey(c => c.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Run>().WithMany().HasForeignKey(r => r.ClonedFromId).OnDelete(DeleteBehavior.SetNull);
        // The run list filters by status and shows the newest first; the queue takes the oldest queued.
        builder.HasIndex(r => new { r.Status, r.CreatedAt });
        builder.HasIndex(r => r.CreatedAt);
    }
}
