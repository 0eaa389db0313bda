namespace PalmLab.Engine.Training;

/// <summary>
/// What a checkpoint says about itself: the run's configuration, where it stopped, the best scores so far, the full
/// result of the epoch it was written after (so whoever resumes can restore that epoch's record too), and a fingerprint
/// of the images it was trained on (<see cref="Data.DataFingerprint"/>; null in checkpoints written before it existed).
/// The run it belongs to is <see cref="RunUid"/>, from its configuration. <see cref="Architecture"/> is the network's shape
/// when it is not torchvision's of the options' depth (a pretrained backbone's); null otherwise and in older checkpoints.
/// </summary>
public sealed record CheckpointHeader(
    TrainingConfig Config,
    int Epoch,
    long GlobalStep,
    double? BestAuc,
    double? BestAccuracy,
    EpochResult? Result,
    DateTimeOffset SavedAt,
    string? DataFingerprint = null,
    Models.ResNetArchitecture? Architecture = null)
{
    /// <summary>
    /// The identity of the dashboard run that wrote it (<see cref="TrainingConfig.RunUid"/>); null in a checkpoint of a
    /// training of its own, or one written before identities existed, which is therefore not provably any run's.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Guid? RunUid => Config.RunUid;

    /// <summary>The shape of the network it holds: <see cref="Architecture"/>, or torchvision's of the options' depth.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Models.ResNetArchitecture NetworkArchitecture => Architecture ?? Models.ResNetArchitecture.Standard(Config.Options.Depth);
}
