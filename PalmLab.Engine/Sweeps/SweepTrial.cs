using PalmLab.Engine.Training;

namespace PalmLab.Engine.Sweeps;

/// <summary>
/// One trial of a sweep: its number (1-based, in the order it runs), the swept options' values keyed by their JSON
/// names in the space's order, and the complete, validated options it trains with.
/// </summary>
public sealed record SweepTrial(int Number, IReadOnlyDictionary<string, object?> Swept, TrainingOptions Options)
{
    /// <summary>"depth=18 learningRate=0.01 augmentFlip=true".</summary>
    public string Describe() => string.Join(" ", Swept.Select(p => $"{p.Key}={SweepDimension.Format(p.Value)}"));
}
