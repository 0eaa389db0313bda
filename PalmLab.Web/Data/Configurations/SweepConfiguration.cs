using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PalmLab.Web.Data.Configurations;

public sealed class SweepConfiguration : IEntityTypeConfiguration<Sweep>
{
    public void Configure(EntityTypeBuilder<Sweep> builder)
    {
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.BaseOptions).HasConversion(OptionsJson.Converter, OptionsJson.Comparer);
        builder.Property(s => s.Strategy).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.Metric).HasConversion<string>().HasMaxLength(20);
        builder.Ignore(s => s.Stopping);
        builder.Property(s => s.Status).HasConversion<string>().HasMaxLength(20);
        builder.HasOne(s => s.DataSet).WithMany().HasForeignKey(s => s.DataSetId).OnDelete(DeleteBehavior.Restrict);
        // A deleted sweep leaves its trials as plain runs.
        builder.HasMany(s => s.Trials).WithOne().HasForeignKey(r => r.SweepId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(s => s.CreatedAt);
    }
}
