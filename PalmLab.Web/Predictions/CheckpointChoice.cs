using PalmLab.Web.Data;

namespace PalmLab.Web.Predictions;

/// <summary>
/// A checkpoint that can predict: a run's best or last, or the ensemble of a cross-validated run's fold models (its best
/// checkpoints, <see cref="FoldPaths"/>; then <see cref="Auc"/> and <see cref="Accuracy"/> are the folds' mean), with
/// what a person needs to choose it.
/// </summary>
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
    /// <summary>The best checkpoint of each fold (fold 1 first) when this is a cross-validated run's ensemble; empty otherwise.</summary>
    public IReadOnlyList<string> FoldPaths { get; init; } = [];

    public bool IsEnsemble => FoldPaths.Count > 0;

    /// <summary>The checkpoint files averaged: the folds' of an ensemble, else the one file.</summary>
    public IReadOnlyList<string> MemberPaths => IsEnsemble ? FoldPaths : [Path];

    /// <summary>How the API names each member: "12:fold-1:best" for an ensemble's, "12:best" for a single checkpoint.</summary>
    public IReadOnlyList<string> MemberNames => IsEnsemble ? FoldPaths.Select((_, i) => $"{RunId}:fold-{i + 1}:best").ToList() : [Key];

    /// <summary>How POST /api/predict and the page's address name it: "RUN:best", "RUN:last" or "RUN:ensemble".</summary>
    public string Key => $"{RunId}:{KindName}";

    public string KindName => IsEnsemble ? EnsembleKind : Kind == CheckpointKind.Best ? "best" : "last";

    public string Model => $"ResNet-{Depth}, {ImageSize} px";

    /// <summary>"ensemble of 5 folds" or "best, epoch 7".</summary>
    public string Summary => IsEnsemble ? $"ensemble of {FoldPaths.Count} folds (best of each)" : $"{KindName}, epoch {Epoch}";

    public const string EnsembleKind = "ensemble";
}
