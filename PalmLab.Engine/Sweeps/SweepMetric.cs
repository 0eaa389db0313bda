namespace PalmLab.Engine.Sweeps;

/// <summary>The validation metric a sweep maximises; cross-validated (mean over the folds) when the trials have folds.</summary>
public enum SweepMetric
{
    Auc,
    Accuracy,
}
