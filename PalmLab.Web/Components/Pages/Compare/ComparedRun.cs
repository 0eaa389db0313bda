using PalmLab.Engine.Training;
using PalmLab.Web.Components.Shared;
using PalmLab.Web.Data;

namespace PalmLab.Web.Components.Pages.Compare;

/// <summary>One run of a comparison: the run, its epochs, and its batch losses on the epoch axis (already thinned).</summary>
public sealed record ComparedRun(Run Run, IReadOnlyList<EpochResult> Epochs, IReadOnlyList<ChartPoint> BatchLoss)
{
    /// <summary>How legends, columns and chips name the run: "#12 baseline".</summary>
    public string Label => $"#{Run.Id} {Run.Name}";

    public string Href => $"/runs/{Run.Id}";
}
