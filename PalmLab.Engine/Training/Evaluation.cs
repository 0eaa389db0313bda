using PalmLab.Engine.Metrics;

namespace PalmLab.Engine.Training;

/// <summary>A model's predictions on a labelled set: mean loss, one probability per image, and the metrics.</summary>
public sealed record Evaluation(double Loss, float[] Probabilities, BinaryMetrics Metrics);
