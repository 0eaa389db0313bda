using PalmLab.Engine.Inference;
using PalmLab.Web.Predictions;

namespace PalmLab.Web.Api;

/// <summary>
/// The model that answered a prediction: its run and model, the run's metrics at that epoch (for an ensemble, the mean of
/// its folds' best), the checkpoints averaged (<see cref="Members"/>: one for a single checkpoint, each fold's best for
/// "RUN:ensemble") and the test-time augmentation ("none" or "flip").
/// </summary>
public sealed record PredictCheckpointDto(
    string Id, int RunId, string Run, string Kind, int Epoch, string Model, int Depth, int ImageSize, string DataSet,
    double RunThreshold, double? Auc, double? Accuracy, IReadOnlyList<string> Members, string Tta)
{
    public static PredictCheckpointDto From(CheckpointChoice c, TestTimeAugmentation tta) =>
        new(c.Key, c.RunId, c.RunName, c.KindName, c.Epoch, $"ResNet-{c.Depth}", c.Depth, c.ImageSize, c.DataSet, c.Threshold, c.Auc, c.Accuracy,
            c.MemberNames, TestTimeAugmentations.NameOf(tta));
}
