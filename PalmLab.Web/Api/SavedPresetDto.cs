using PalmLab.Engine.Training;
using PalmLab.Web.Data;

namespace PalmLab.Web.Api;

/// <summary>A saved preset: its name (for <c>preset</c> in POST /api/runs and /api/sweeps), its options and where it came from.</summary>
public sealed record SavedPresetDto(int Id, string Name, TrainingOptions Options, int? FromSweepId, int? FromRunId, DateTimeOffset CreatedAt)
{
    public static SavedPresetDto From(SavedPreset p) => new(p.Id, p.Name, p.Options, p.FromSweepId, p.FromRunId, p.CreatedAt);
}
