using PalmLab.Engine.Training;
using PalmLab.Web.Data;

namespace PalmLab.Web.Api;

/// <summary>A run as the API lists it; <see cref="Epochs"/> and <see cref="Checkpoints"/> are filled for one run only.</summary>
public sealed record RunDto(
    int Id,
    string Name,
    RunStatus Status,
    int DataSetId,
    string? DataSet,
    TrainingOptions Options,
    string? Device,
    string? ErrorMessage,
    string? Notes,
    string? Tags,
    int? ClonedFromId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<EpochResult>? Epochs,
    IReadOnlyList<CheckpointDto>? Checkpoints)
{
    public static RunDto From(Run r, bool withDetails) => new(
        r.Id, r.Name, r.Status, r.DataSetId, r.DataSet?.Name, r.Options, r.Device, r.ErrorMessage, r.Notes, r.Tags, r.ClonedFromId,
        r.CreatedAt, r.StartedAt, r.FinishedAt,
        withDetails ? r.EpochMetrics.OrderBy(m => m.Epoch).Select(m => m.ToResult(r.Options)).ToList() : null,
        withDetails ? r.Checkpoints.OrderBy(c => c.Kind).Select(c => new CheckpointDto(c.Kind, c.Epoch, c.SizeBytes, c.CreatedAt)).ToList() : null);
}
