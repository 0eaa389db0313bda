namespace PalmLab.Engine.Metrics;

/// <summary>Counts of a binary classifier's outcomes at one threshold.</summary>
public sealed record ConfusionMatrix(int TrueNegatives, int FalsePositives, int FalseNegatives, int TruePositives)
{
    public int Total => TrueNegatives + FalsePositives + FalseNegatives + TruePositives;
}
