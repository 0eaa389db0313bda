using PalmLab.Engine.Training;
using PalmLab.Web.Data;

namespace PalmLab.Web.Sweeps;

/// <summary>
/// One trial of a sweep as the pages and the API show it: its run, the swept options' values (by JSON name, in the
/// space's order), and the sweep's metric at its last epoch (where it stopped, for a trial stopped early).
/// </summary>
public sealed record SweepTrialView(
    int Number,
    int RunId,
    string Name,
    RunStatus Status,
    IReadOnlyDictionary<string, object?> Swept,
    double? Metric,
    int Epochs,
    int EpochsPlanned,
    string? Message,
    TrainingOptions Options)
{
    /// <summary>Whether this is the sweep's best completed trial.</summary>
    public bool IsBest { get; init; }

    public bool HasEnded => Status is not (RunStatus.Queued or RunStatus.Running);
}
