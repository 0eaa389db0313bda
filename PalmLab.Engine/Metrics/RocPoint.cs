namespace PalmLab.Engine.Metrics;

/// <summary>One point of a ROC curve: predicting positive at probability >= <see cref="Threshold"/>.</summary>
public sealed record RocPoint(double FalsePositiveRate, double TruePositiveRate, double Threshold);
