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
    double? Holdout,
    int Depth,
    int EpochCount,
    int BatchSize,
    int ImageSize,
    LrScheduleKind Schedule,
    double LearningRate,
    double EndLearningRate,
    double Power,
    int? DecaySteps,
    int? StepSize,
    double Gamma,
    int WarmupSteps,
    double Momentum,
    double WeightDecay,
    int Seed,
    double Threshold,
    bool AugmentFlip,
    double AugmentRotation,
    string? Device,
    string? ErrorMessage,
    string? Notes,
    string? Tags,
    int? ClonedFromId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<EpochDto>? Epochs,
    IReadOnlyList<CheckpointDto>? Checkpoints)
{
    public static RunDto From(Run r, bool withDetails) => new(
        r.Id, r.Name, r.Status, r.DataSetId, r.DataSet?.Name, r.Holdout, r.Depth, r.Epochs, r.BatchSize, r.ImageSize, r.Schedule,
        r.LearningRate, r.EndLearningRate, r.Power, r.DecaySteps, r.StepSize, r.Gamma, r.WarmupSteps, r.Momentum, r.WeightDecay,
        r.Seed, r.Threshold, r.AugmentFlip, r.AugmentRotation, r.Device, r.ErrorMessage, r.Notes, r.Tags, r.ClonedFromId,
        r.CreatedAt, r.StartedAt, r.FinishedAt,
        withDetails ? r.EpochMetrics.OrderBy(m => m.Epoch).Select(EpochDto.From).ToList() : null,
        withDetails ? r.Checkpoints.OrderBy(c => c.Kind).Select(c => new CheckpointDto(c.Kind, c.Epoch, c.SizeBytes, c.CreatedAt)).ToList() : null);
}
