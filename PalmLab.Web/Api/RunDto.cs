using PalmLab.Engine.Training;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Web.Api;

/// <summary>
/// A run as the API lists it; <see cref="Epochs"/> and <see cref="Checkpoints"/> are filled for one run only. A
/// cross-validated run (<see cref="Folds"/> = K) has its epochs per fold in <see cref="FoldEpochs"/> (and none in
/// <see cref="Epochs"/>) and their mean ± std in <see cref="CrossValidation"/>.
/// </summary>
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
    IReadOnlyList<CheckpointDto>? Checkpoints,
    int? Folds = null,
    IReadOnlyList<RunFoldEpochs>? FoldEpochs = null,
    CrossValidationSummary? CrossValidation = null,
    string Executor = RunExecutors.Local,
    RunJobDto? Job = null)
{
    public static RunDto From(Run r, bool withDetails)
    {
        var foldEpochs = withDetails && r.Options.Folds is not null
            ? RunFoldEpochs.Group(r.EpochMetrics.Select(m => new FoldEpoch(m.Fold, m.ToResult(r.Options))))
            : null;
        return new(
            r.Id, r.Name, r.Status, r.DataSetId, r.DataSet?.Name, r.Options, r.Device, r.ErrorMessage, r.Notes, r.Tags, r.ClonedFromId,
            r.CreatedAt, r.StartedAt, r.FinishedAt,
            withDetails ? r.EpochMetrics.Where(m => m.Fold == null).OrderBy(m => m.Epoch).Select(m => m.ToResult(r.Options)).ToList() : null,
            withDetails ? r.Checkpoints.OrderBy(c => c.Fold).ThenBy(c => c.Kind).Select(c => new CheckpointDto(c.Kind, c.Epoch, c.SizeBytes, c.CreatedAt, c.Fold)).ToList() : null,
            r.Options.Folds,
            foldEpochs,
            foldEpochs is null ? null : CrossValidationSummary.From(r.Options, foldEpochs),
            r.Executor,
            r.Executor == RunExecutors.Slurm ? new RunJobDto(r.JobId, r.JobState, r.Slurm) : null);
    }
}
