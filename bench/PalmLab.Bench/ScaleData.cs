namespace PalmLab.Bench;

/// <summary>What <see cref="ScaleSeed"/> stored: the runs in creation order, the run with the long curve and its length, and row counts.</summary>
public sealed record ScaleData(IReadOnlyList<SeededRun> Runs, SeededRun Big, int BigPoints, int EpochRows, int LossRows);
