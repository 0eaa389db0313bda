using PalmLab.Engine.Metrics;

namespace PalmLab.Engine.Training;

/// <summary>A model's predictions on a labelled set: mean loss, one probability per image, and the metrics.</summary>
public sealed record Evaluation(double Loss, float[] Probabilities, BinaryMetrics Metrics)
{
    // Averaged probabilities have no logit: their loss is the cross-entropy of the probability, kept off log(0).
    private const double Epsilon = 1e-7;

    /// <summary>The loss (binary cross-entropy) and metrics of probabilities that have no logit, such as an ensemble's mean.</summary>
    public static Evaluation FromProbabilities(float[] probabilities, IReadOnlyList<int> labels, double threshold)
    {
        var loss = probabilities.Select((p, i) =>
        {
            var q = Math.Clamp(p, Epsilon, 1 - Epsilon);
            return labels[i] == 1 ? -Math.Log(q) : -Math.Log(1 - q);
        }).DefaultIfEmpty().Average();
        return new Evaluation(loss, probabilities, BinaryMetrics.Compute(probabilities, labels, threshold));
    }
}
