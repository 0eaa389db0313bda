namespace PalmLab.Web.Data;

/// <summary>Training and validation results of one epoch.</summary>
public sealed class EpochMetric
{
    public int Id { get; set; }

    public int RunId { get; set; }

    public int Epoch { get; set; }

    public double TrainLoss { get; set; }

    public double? ValidationLoss { get; set; }

    public double? Accuracy { get; set; }

    public double? Auc { get; set; }

    public double? Sensitivity { get; set; }

    public double? Specificity { get; set; }

    public double? Precision { get; set; }

    public double? F1 { get; set; }

    public int? TrueNegatives { get; set; }

    public int? FalsePositives { get; set; }

    public int? FalseNegatives { get; set; }

    public int? TruePositives { get; set; }

    /// <summary>ROC points as JSON: [[fpr, tpr, threshold], ...].</summary>
    public string? RocJson { get; set; }

    public double LearningRate { get; set; }

    public double Seconds { get; set; }

    public double ImagesPerSecond { get; set; }

    public bool IsBest { get; set; }
}
