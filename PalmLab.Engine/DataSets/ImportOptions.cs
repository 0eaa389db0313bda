namespace PalmLab.Engine.DataSets;

/// <summary>Bounds on what an import may unpack, against damaged and hostile archives (zip bombs).</summary>
/// <param name="MaxBytes">Most bytes written in all, counted as they are written, not as the archive declares them.</param>
/// <param name="MaxEntries">Most entries (files and folders) in all sources together.</param>
public sealed record ImportOptions(long MaxBytes = 8L << 30, int MaxEntries = 20_000);
