namespace PalmLab.Engine.Training;

/// <summary>One epoch of one cross-validation fold (1..K); <see cref="Fold"/> is null for an ordinary run's epoch.</summary>
public sealed record FoldEpoch(int? Fold, EpochResult Epoch);
