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
        // Where each epoch ends, for the loss chart's boundaries: read from this index alone, without sorting the run's rows.
        builder.HasIndex(b => new { b.RunId, b.Fold, b.Epoch, b.Step });
    }
}
