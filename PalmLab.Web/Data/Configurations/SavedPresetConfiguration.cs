using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PalmLab.Web.Sweeps;

namespace PalmLab.Web.Data.Configurations;

public sealed class SavedPresetConfiguration : IEntityTypeConfiguration<SavedPreset>
{
    public void Configure(EntityTypeBuilder<SavedPreset> builder)
    {
        builder.Property(p => p.Name).HasMaxLength(SavedPresetRules.MaxNameLength);
        builder.HasIndex(p => p.Name).IsUnique();
        builder.Property(p => p.Options).HasConversion(OptionsJson.Converter, OptionsJson.Comparer);
        builder.HasOne<Sweep>().WithMany().HasForeignKey(p => p.FromSweepId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Run>().WithMany().HasForeignKey(p => p.FromRunId).OnDelete(DeleteBehavior.SetNull);
    }
}
