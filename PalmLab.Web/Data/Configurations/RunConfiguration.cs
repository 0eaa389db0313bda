using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PalmLab.Engine.Training;
using PalmLab.Web.Runs;

namespace PalmLab.Web.Data.Configurations;

public sealed class RunConfiguration : IEntityTypeConfiguration<Run>
{
    public void Configure(EntityTypeBuilder<Run> builder)
    {
        builder.Property(r => r.Name).HasMaxLength(200);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        // Each training option is a column named as the option, so a new option is a new column and nothing else.
        builder.ComplexProperty(r => r.Options, options =>
        {
            foreach (var option in TrainingOption.All)
            {
                options.Property(option.Name).HasColumnName(option.Name);
            }
            options.Property(o => o.Schedule).HasConversion<string>().HasMaxLength(20);
            options.Property(o => o.Precision).HasConversion<string>().HasMaxLength(10);
            options.Property(o => o.Backbone).HasMaxLength(TrainingOptions.MaxBackboneNameLength);
        });
        builder.Property(r => r.Executor).HasMaxLength(10).HasDefaultValue(RunExecutors.Local);
        builder.ComplexProperty(r => r.Slurm, slurm =>
        {
            slurm.Property(s => s.Partition).HasMaxLength(100);
            slurm.Property(s => s.Memory).HasMaxLength(20);
            slurm.Property(s => s.TimeLimit).HasMaxLength(20);
        });
        builder.Property(r => r.Owner).HasMaxLength(ExecutorInstance.MaxIdLength);
        builder.Property(r => r.JobId).HasMaxLength(40);
        builder.Property(r => r.JobState).HasMaxLength(200);
        builder.Property(r => r.JobTokenHash).HasMaxLength(64);
        builder.HasOne(r => r.DataSet).WithMany().HasForeignKey(r => r.DataSetId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(r => r.EpochMetrics).WithOne().HasForeignKey(m => m.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(r => r.Checkpoints).WithOne().HasForeignKey(c => c.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Run>().WithMany().HasForeignKey(r => r.ClonedFromId).OnDelete(DeleteBehavior.SetNull);
        // The run list filters by status and shows the newest first; the queue takes the oldest queued.
        builder.HasIndex(r => new { r.Status, r.CreatedAt });
        builder.HasIndex(r => r.CreatedAt);
        builder.HasIndex(r => r.Uid).IsUnique();
    }
}
