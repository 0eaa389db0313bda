using MudBlazor;
using PalmLab.Engine.DataSets;
using PalmLab.Web.Data;
using PalmLab.Web.DataSets;

namespace PalmLab.Web.Components.Pages.DataSets;

/// <summary>One line of the data sets list: the stored row, its report, and how many runs use it.</summary>
public sealed record DataSetListRow(DataSet DataSet, DataSetReport? Report, int Runs)
{
    public static DataSetListRow From(DataSet dataSet, int runs) => new(dataSet, DataSetSamples.Report(dataSet), runs);

    public bool HasValidation => DataSet.ValidDir is not null;

    /// <summary>The problems counted by severity, most serious first; none when the report is clean.</summary>
    public IReadOnlyList<(Severity Severity, int Count)> ProblemCounts => Report is null ? []
        : Report.Problems.GroupBy(p => DataSetProblemKinds.SeverityOf(p.Kind))
            .OrderByDescending(g => g.Key).Select(g => (g.Key, g.Count())).ToList();

    /// <summary>"384x384" for one size, "2124x2056, 1444x1444" for several (most frequent first), "—" without a report.</summary>
    public string Sizes => Report is null || Report.ImageSizes.Count == 0 ? "—"
        : string.Join(", ", Report.ImageSizes.Take(3).Select(s => $"{s.Width}×{s.Height}")) + (Report.ImageSizes.Count > 3 ? $" +{Report.ImageSizes.Count - 3}" : "");
}
