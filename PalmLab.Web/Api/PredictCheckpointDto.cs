using PalmLab.Web.Predictions;

namespace PalmLab.Web.Api;

/// <summary>The checkpoint that answered a prediction: its run and model, and the run's metrics at that epoch.</summary>
public sealed record PredictCheckpointDto(
    string Id, int RunId, string Run, string Kind, int Epoch, string Model, int Depth, int ImageSize, string DataSet,
    double RunThreshold, double? Auc, double? Accuracy)
{
    public static PredictCheckpointDto From(CheckpointChoice c) =>
        new(c.Key, c.RunId, c.RunName, c.KindName, c.Epoch, $"ResNet-{c.Depth}", c.Depth, c.ImageSize, c.DataSet, c.Threshold, c.Auc, c.Accuracy);
}
