namespace PalmLab.Engine.Metrics;

/// <summary>
/// Validation metrics of a binary classifier. A metric whose denominator is zero (sensitivity without positives,
/// AUC on a one-class set) is null: absent, never NaN.
/// </summary>
public sealed record BinaryMetrics(
    int Count,
    double Threshold,
    double Accuracy,
    double? Auc,
    double? Sensitivity,
    double? Specificity,
    double? Precision,
    double? F1,
    ConfusionMatrix Confusion,
    IReadOnlyList<RocPoint> Roc)
{
    /// <summary>Computes every metric from predicted probabilities and 0/1 labels.</summary>
    public static BinaryMetrics Compute(IReadOnlyList<float> probabilities, IReadOnlyList<int> labels, double threshold = 0.5)
    {
        if (probabilities.Count != labels.Count)
        {
            throw new ArgumentException($"{probabilities.Count} probabilities for {labels.Count} labels.");
        }
        if (probabilities.Count == 0)
        {
            throw new ArgumentException("No predictions to score.", nameof(probabilities));
        }
        int tn = 0, fp = 0, fn = 0, tp = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            var predicted = probabilities[i] >= threshold;
            if (labels[i] == 1)
            {
                if (predicted) tp++; else fn++;
            }
            else
            {
                if (predicted) fp++; else tn++;
            }
        }
        var sensitivity = Ratio(tp, tp + fn);
        var precision = Ratio(tp, tp + fp);
        return new BinaryMetrics(
            labels.Count, threshold, (double)(tp + tn) / labels.Count, RocAuc(probabilities, labels),
            sensitivity, Ratio(tn, tn + fp), precision, Ratio(2 * tp, 2 * tp + fp + fn), new ConfusionMatrix(tn, fp, fn, tp), RocCurve(probabilities, labels));
    }

    /// <summary>
    /// Area under the ROC curve as the Mann-Whitney statistic: the chance a random positive scores above a random
    /// negative, ties counting one half. Null when the labels hold one class only.
    /// </summary>
    public static double? RocAuc(IReadOnlyList<float> scores, IReadOnlyList<int> labels)
    {
        var positives = labels.Count(l => l == 1);
        var negatives = labels.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            return null;
        }
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double positiveRankSum = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]])
            {
                end++;
            }
            var midRank = (start + end) / 2.0 + 1; // 1-based average rank of the tied run
            for (var k = start; k <= end; k++)
            {
                if (labels[order[k]] == 1)
                {
                    positiveRankSum += midRank;
                }
            }
            start = end + 1;
        }
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>
    /// ROC points from (0, 0) (threshold above every score) to (1, 1), one per distinct score, highest first.
    /// Empty when the labels hold one class only.
    /// </summary>
    public static IReadOnlyList<RocPoint> RocCurve(IReadOnlyList<float> scores, IReadOnlyList<int> labels)
    {
        var positives = labels.Count(l => l == 1);
        var negatives = labels.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            return [];
        }
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        var points = new List<RocPoint> { new(0, 0, scores[order[0]] + 1.0) };
        int tp = 0, fp = 0;
        for (var k = 0; k < order.Length; k++)
        {
            if (labels[order[k]] == 1) tp++; else fp++;
            if (k + 1 == order.Length || scores[order[k + 1]] != scores[order[k]])
            {
                points.Add(new RocPoint((double)fp / negatives, (double)tp / positives, scores[order[k]]));
            }
        }
        return points;
    }

    private static double? Ratio(int numerator, int denominator) => denominator == 0 ? null : (double)numerator / denominator;
}
