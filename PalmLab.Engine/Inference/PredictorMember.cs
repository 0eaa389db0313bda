using PalmLab.Engine.Training;

namespace PalmLab.Engine.Inference;

/// <summary>One model of a <see cref="Predictor"/>: the checkpoint it was loaded from and what that checkpoint says of itself.</summary>
public sealed record PredictorMember(string Path, CheckpointHeader Header);
