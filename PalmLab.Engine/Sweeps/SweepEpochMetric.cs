using PalmLab.Engine.Training;

namespace PalmLab.Engine.Sweeps;

/// <summary>A trial's metric at one epoch: the mean and standard deviation over the folds (a single value without folds).</summary>
public sealed record SweepEpochMetric(int Epoch, MeanStd? Metric);
