using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PalmLab.Web.Data.Configurations;

public sealed class EpochMetricConfiguration : IEntityTypeConfiguration<EpochMetric>
{
    public void Configure(EntityTypeBuilder<EpochMetric> builder)
    {
        // Epoch numbers restart in each fold of a cross-validated run.
        builder.HasIndex(m => new { m.RunId, m.Fold, m.Epoch }).IsUnique();
        // The runs list ranks every run by its best AUC or accuracy: from this index alone, not from rows that each carry
        // a ROC curve (reading those made sorting 10,000 runs take hundreds of milliseconds).
        builder.HasIndex(m => new { m.RunId, m.Epoch, m.Auc, m.Accuracy });
    }
}
