using System.Text.Json;
using PalmLab.Engine.Metrics;

namespace PalmLab.Tests.Engine;

public class BinaryMetricsTests
{
    [Fact]
    public void Compute_HandWorkedCase_GivesEveryMetric()
    {
        // threshold 0.5: predictions 1,1,0,1,0,0 against labels 1,0,1,1,0,0 -> TP 2, FP 1, FN 1, TN 2.
        float[] p = [0.9f, 0.7f, 0.4f, 0.6f, 0.2f, 0.1f];
        int[] y = [1, 0, 1, 1, 0, 0];

        var m = BinaryMetrics.Compute(p, y);

        Assert.Equal(new ConfusionMatrix(2, 1, 1, 2), m.Confusion);
        Assert.Equal(4 / 6.0, m.Accuracy, 12);
        Assert.Equal(2 / 3.0, m.Sensitivity!.Value, 12);
        Assert.Equal(2 / 3.0, m.Specificity!.Value, 12);
        Assert.Equal(2 / 3.0, m.Precision!.Value, 12);
        Assert.Equal(2 / 3.0, m.F1!.Value, 12);
        // positives 0.9, 0.6, 0.4 vs negatives 0.7, 0.2, 0.1: 3 + 2 + 2 = 7 of 9 pairs ranked right.
        Assert.Equal(7 / 9.0, m.Auc!.Value, 12);
    }

    [Fact]
    public void RocAuc_Ties_CountHalf()
    {
        // positives 0.8, 0.5; negatives 0.5, 0.2: pairs 1 + 1 + 0.5 + 1 = 3.5 of 4.
        Assert.Equal(0.875, BinaryMetrics.RocAuc([0.8f, 0.5f, 0.5f, 0.2f], [1, 1, 0, 0])!.Value, 12);
        Assert.Equal(0.5, BinaryMetrics.RocAuc([0.3f, 0.3f, 0.3f, 0.3f], [1, 0, 1, 0])!.Value, 12);
    }

    [Fact]
    public void RocCurve_TiedScores_GiveOnePointPerDistinctScore()
    {
        var roc = BinaryMetrics.RocCurve([0.8f, 0.5f, 0.5f, 0.2f], [1, 1, 0, 0]);

        Assert.Equal([(0.0, 0.0), (0.0, 0.5), (0.5, 1.0), (1.0, 1.0)], roc.Select(r => (r.FalsePositiveRate, r.TruePositiveRate)));
        Assert.Equal([0.5, 0.2], roc.Skip(2).Select(r => Math.Round(r.Threshold, 6)));
    }

    [Fact]
    public void Compute_OneClassSet_ReportsAucAsAbsentNotNaN()
    {
        var m = BinaryMetrics.Compute([0.9f, 0.3f, 0.6f], [1, 1, 1]);

        Assert.Null(m.Auc);
        Assert.Null(m.Specificity);
        Assert.Empty(m.Roc);
        Assert.Equal(2 / 3.0, m.Accuracy, 12);
        var json = JsonSerializer.Serialize(m);
        Assert.Contains("\"Auc\":null", json);
        Assert.DoesNotContain("NaN", json);
    }

    [Fact]
    public void Compute_NoPositivePredictions_LeavesPrecisionAbsent()
    {
        var m = BinaryMetrics.Compute([0.1f, 0.2f], [0, 0]);

        Assert.Null(m.Precision);
        Assert.Null(m.Sensitivity);
        Assert.Null(m.F1);
        Assert.Equal(1.0, m.Specificity);
    }
}
