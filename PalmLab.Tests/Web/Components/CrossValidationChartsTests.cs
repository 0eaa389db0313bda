using Bunit;
using PalmLab.Engine.Training;
using PalmLab.Web.Components.Pages.Runs;
using PalmLab.Web.Components.Shared;

namespace PalmLab.Tests.Web.Components;

public sealed class CrossValidationChartsTests : ComponentTestBase
{
    [Fact]
    public void Render_BandPastOne_CutsAccuracyAndAucAtOneButNotTheLoss()
    {
        // Accuracy 0.95 ± 0.10 and AUC 0.99 ± 0.02 reach past 1; the validation loss 0.30 ± 0.40 reaches below 0.
        IReadOnlyList<CrossValidationEpoch> summary =
        [
            new(1, new Dictionary<string, MeanStd?>
            {
                ["accuracy"] = new(0.95, 0.10, 5), ["auc"] = new(0.99, 0.02, 5), ["val_loss"] = new(0.30, 0.40, 5),
            }),
        ];

        var cut = Render<CrossValidationCharts>(p => p.Add(c => c.Summary, summary));

        var charts = cut.FindComponents<ApexChart>().ToDictionary(c => c.Instance.Class!.Split(' ').Last(), c => c.Instance);
        Assert.Equal(new ChartRange(1, 0.85, 1), Band(charts["cv-chart-accuracy"]), RangeComparer);
        Assert.Equal(new ChartRange(1, 0.97, 1), Band(charts["cv-chart-auc"]), RangeComparer);
        Assert.Equal(new ChartRange(1, 0, 0.70), Band(charts["cv-chart-val_loss"]), RangeComparer);
        Assert.Equal((1, 1, null), (charts["cv-chart-accuracy"].YMax, charts["cv-chart-auc"].YMax, charts["cv-chart-val_loss"].YMax));
        Assert.Equal(0.95, charts["cv-chart-accuracy"].Series.Single(s => s.Name == "Mean").Points.Single().Y, 1e-12);
    }

    private static ChartRange Band(ApexChart chart) => chart.Series.Single(s => s.Name == "± 1 std").Range!.Single();

    private static readonly IEqualityComparer<ChartRange> RangeComparer = EqualityComparer<ChartRange>.Create(
        (a, b) => Math.Abs(a.X - b.X) < 1e-12 && Math.Abs(a.Low - b.Low) < 1e-12 && Math.Abs(a.High - b.High) < 1e-12);
}
