namespace PalmLab.Engine.Sweeps;

/// <summary>How the points of a <see cref="SweepRange"/> are spaced and drawn.</summary>
public enum SweepScale
{
    Linear,

    /// <summary>Evenly in log space (0.001, 0.01, 0.1); needs a minimum above 0.</summary>
    Log,
}
