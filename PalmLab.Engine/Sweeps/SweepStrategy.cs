namespace PalmLab.Engine.Sweeps;

/// <summary>How a sweep picks its trials from the space.</summary>
public enum SweepStrategy
{
    /// <summary>Every combination (the cartesian product), in a stable order; ranges need <c>count</c> or <c>step</c>.</summary>
    Grid,

    /// <summary>Seeded draws: a value of each list, ranges uniform (log ranges uniform in log space); no trial twice.</summary>
    Random,
}
