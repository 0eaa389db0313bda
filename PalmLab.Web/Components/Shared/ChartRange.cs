namespace PalmLab.Web.Components.Shared;

/// <summary>One x of a shaded band: from <paramref name="Low"/> to <paramref name="High"/> (a mean ± 1 std, for one).</summary>
public readonly record struct ChartRange(double X, double Low, double High);
