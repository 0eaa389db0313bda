using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PalmLab.Web.Data.Configurations;

public sealed class BatchLossConfiguration : IEntityTypeConfiguration<BatchLoss>
{
    public void Configure(EntityTypeBuilder<BatchLoss> builder)
    {
        builder.HasOne<Run>().WithMany().HasForeignKey(b => b.RunId).OnDelete(DeleteBehavior.Cascade);
        // One run's curve is read in step order; a step is stored once.
        builder.HasIndex(b => new { b.RunId, b.Step }).IsUnique();
    }
}
