namespace PalmLab.Engine.DataSets;

/// <summary>Bounds on what an import may unpack, against damaged and hostile archives (zip bombs).</summary>
/// <param name="MaxBytes">Most bytes written in all, counted as they are written, not as the archive declares them.</param>
/// <param name="MaxEntries">Most entries (files and folders) in all sources together.</param>
/// <param name="MaxEntryBytes">
/// Most bytes of one image or labels file, counted as it is written; a larger one is not imported and is listed among the
/// report's problems (the official images are 1-3 MB; predictions take 20 MB at most).
/// </param>
public sealed record ImportOptions(long MaxBytes = 8L << 30, int MaxEntries = 20_000, long MaxEntryBytes = 20L << 20);
