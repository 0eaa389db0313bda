using PalmLab.Engine.Training;

namespace PalmLab.Engine.Inference;

/// <summary>What a <see cref="Predictor"/> scores on a labelled set: its own evaluation and each member's (same order as its members).</summary>
public sealed record EnsembleEvaluation(Evaluation Ensemble, IReadOnlyList<Evaluation> Members);
