using PalmLab.Engine.Training;
using PalmLab.Web.Components.Shared;
using PalmLab.Web.Data;

namespace PalmLab.Web.Components.Pages.Compare;

/// <summary>
/// One run of a comparison: the run, its epochs, and its batch losses on the epoch axis (already thinned). A
/// cross-validated run's epochs are the means over its folds, and <see cref="CrossValidation"/> has their std too.
/// </summary>
public sealed record ComparedRun(
    Run Run, IReadOnlyList<EpochResult> Epochs, IReadOnlyList<ChartPoint> BatchLoss, IReadOnlyList<CrossValidationEpoch>? CrossValidation = null)
{
    /// <summary>How legends, columns and chips name the run: "#12 baseline".</summary>
    public string Label => $"#{Run.Id} {Run.Name}";

    public string Href => $"/runs/{Run.Id}";
}
