namespace PalmLab.Engine.Sweeps;

/// <summary>
/// A numeric range of one option: <c>{"min": 0.001, "max": 0.1, "scale": "log"}</c>. Random search draws from it;
/// a grid needs <see cref="Count"/> points (evenly spaced on the scale) or a linear <see cref="Step"/>. Random search
/// with a count or step draws only those points. Whole-number options keep whole numbers.
/// </summary>
public sealed record SweepRange(double Min, double Max, SweepScale Scale = SweepScale.Linear, double? Step = null, int? Count = null)
{
    /// <summary>The most points a <see cref="Count"/> may ask for.</summary>
    public const int MaxCount = 1000;

    /// <summary>Whether the range is a finite set of points (it has a count or a step).</summary>
    public bool IsDiscrete => Step is not null || Count is not null;
}
