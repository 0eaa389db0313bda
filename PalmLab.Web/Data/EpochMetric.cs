using System.Text.Json;
using PalmLab.Engine.Metrics;
using PalmLab.Engine.Training;

namespace PalmLab.Web.Data;

/// <summary>
/// The stored row of one epoch's <see cref="EpochResult"/>: scalar metrics as columns (so runs can be sorted and
/// compared by them), the ROC curve as JSON. <see cref="From"/> and <see cref="ToResult"/> are the one mapping.
/// </summary>
public sealed class EpochMetric
{
    public int Id { get; set; }

    public int RunId { get; set; }

    /// <summary>The cross-validation fold (1..K); null for an ordinary run. Epochs start again at 1 in each fold.</summary>
    public int? Fold { get; set; }

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

    public static EpochMetric From(int runId, EpochResult e, int? fold = null)
    {
        var v = e.Validation;
        return new EpochMetric
        {
            RunId = runId,
            Fold = fold,
            Epoch = e.Epoch,
            TrainLoss = e.TrainLoss,
            ValidationLoss = e.ValidationLoss,
            Accuracy = v?.Accuracy,
            Auc = v?.Auc,
            Sensitivity = v?.Sensitivity,
            Specificity = v?.Specificity,
            Precision = v?.Precision,
            F1 = v?.F1,
            TrueNegatives = v?.Confusion.TrueNegatives,
            FalsePositives = v?.Confusion.FalsePositives,
            FalseNegatives = v?.Confusion.FalseNegatives,
            TruePositives = v?.Confusion.TruePositives,
            RocJson = v is null ? null : JsonSerializer.Serialize(v.Roc),
            LearningRate = e.LearningRate,
            Seconds = e.Seconds,
            ImagesPerSecond = e.ImagesPerSecond,
            IsBest = e.IsBest,
        };
    }

    /// <summary>The epoch's result again, for a run of <paramref name="options"/> (its epoch count and threshold).</summary>
    public EpochResult ToResult(TrainingOptions options)
    {
        BinaryMetrics? validation = null;
        if (Accuracy is { } accuracy && TrueNegatives is { } tn && FalsePositives is { } fp && FalseNegatives is { } fn && TruePositives is { } tp)
        {
            validation = new BinaryMetrics(tn + fp + fn + tp, options.Threshold, accuracy, Auc, Sensitivity, Specificity, Precision, F1,
                new ConfusionMatrix(tn, fp, fn, tp), RocJson is null ? [] : JsonSerializer.Deserialize<List<RocPoint>>(RocJson) ?? []);
        }
        return new EpochResult(Epoch, options.Epochs, TrainLoss, ValidationLoss, validation, LearningRate, Seconds, ImagesPerSecond, IsBest);
    }
}
