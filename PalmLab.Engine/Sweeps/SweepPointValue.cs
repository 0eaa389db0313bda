namespace PalmLab.Engine.Sweeps;

/// <summary>A trial's metric at one point (fold 0 without folds); null when the metric is undefined there (AUC of one class).</summary>
public sealed record SweepPointValue(int Fold, int Epoch, double? Value);
