using PalmLab.Engine.Training;

namespace PalmLab.Web.Data;

/// <summary>Options saved under a name (from a sweep's best trial or a run), usable wherever a preset is.</summary>
public sealed class SavedPreset
{
    public int Id { get; set; }

    public required string Name { get; set; }

    public TrainingOptions Options { get; set; } = new();

    public int? FromSweepId { get; set; }

    public int? FromRunId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
