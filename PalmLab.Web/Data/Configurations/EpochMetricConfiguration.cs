using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PalmLab.Web.Data.Configurations;

public sealed class EpochMetricConfiguration : IEntityTypeConfiguration<EpochMetric>
{
    public void Configure(EntityTypeBuilder<EpochMetric> builder)
    {
        // Epoch numbers restart in each fold of a cross-validated run.
        builder.HasIndex(m => new { m.RunId, m.Fold, m.Epoch }).IsUnique();
    }
}
