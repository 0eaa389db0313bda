namespace PalmLab.Web.Data;

/// <summary>The validation metric a sweep maximises (the cross-validated mean when its base asks for folds).</summary>
public enum SweepMetric
{
    Auc,
    Accuracy,
}
