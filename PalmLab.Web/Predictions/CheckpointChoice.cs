using PalmLab.Web.Data;

namespace PalmLab.Web.Predictions;

/// <summary>A checkpoint that can predict: a run's best or last, with what a person needs to choose it.</summary>
public sealed record CheckpointChoice(
    int CheckpointId,
    int RunId,
    string RunName,
    RunStatus Status,
    CheckpointKind Kind,
    int Epoch,
    int Depth,
    int ImageSize,
    double Threshold,
    double? Auc,
    double? Accuracy,
    string DataSet,
    string Path)
{
    /// <summary>How POST /api/predict and the page's address name it: "RUN:best" or "RUN:last".</summary>
    public string Key => $"{RunId}:{KindName}";

    public string KindName => Kind == CheckpointKind.Best ? "best" : "last";

    public string Model => $"ResNet-{Depth}, {ImageSize} px";
}
