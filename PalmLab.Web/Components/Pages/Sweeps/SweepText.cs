using PalmLab.Engine.Sweeps;
using PalmLab.Web.Sweeps;

namespace PalmLab.Web.Components.Pages.Sweeps;

/// <summary>How the sweep pages word a sweep's settings and a trial's values.</summary>
public static class SweepText
{
    public static string Strategy(SweepView sweep) =>
        sweep.Strategy == SweepStrategy.Grid ? "grid" : $"random, seed {sweep.Seed}";

    public static string Stopping(SweepView sweep) => sweep.Stopping is { } s
        ? $"median stopping from epoch {s.MinEpochs}, after {s.MinCompletedTrials} finished trials"
        : "every trial runs to its end";

    /// <summary>A swept value as a user types it (0.01, true, cosine; "—" when empty).</summary>
    public static string Value(object? value) => value switch
    {
        null => "—",
        // A log range's grid points have twelve digits (0.00707106781187): four significant ones tell them apart.
        double d => d.ToString("G4", System.Globalization.CultureInfo.InvariantCulture),
        _ => SweepDimension.Format(value),
    };
}
