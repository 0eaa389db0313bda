using System.Text.Json;
using PalmLab.Engine.Metrics;
using PalmLab.Engine.Training;
using PalmLab.Web.Data;

namespace PalmLab.Web.Api;

/// <summary>One epoch's results as the API and the live stream carry them.</summary>
public sealed record EpochDto(
    int Epoch,
    double TrainLoss,
    double? ValidationLoss,
    double? Accuracy,
    double? Auc,
    double? Sensitivity,
    double? Specificity,
    double? Precision,
    double? F1,
    int? TrueNegatives,
    int? FalsePositives,
    int? FalseNegatives,
    int? TruePositives,
    IReadOnlyList<RocPoint> Roc,
    double LearningRate,
    double Seconds,
    double ImagesPerSecond,
    bool IsBest)
{
    public static EpochDto From(EpochMetric m) => new(
        m.Epoch, m.TrainLoss, m.ValidationLoss, m.Accuracy, m.Auc, m.Sensitivity, m.Specificity, m.Precision, m.F1,
        m.TrueNegatives, m.FalsePositives, m.FalseNegatives, m.TruePositives,
        m.RocJson is null ? [] : JsonSerializer.Deserialize<List<RocPoint>>(m.RocJson) ?? [],
        m.LearningRate, m.Seconds, m.ImagesPerSecond, m.IsBest);

    public static EpochMetric ToEntity(int runId, EpochResult e)
    {
        var v = e.Validation;
        return new EpochMetric
        {
            RunId = runId,
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
}
