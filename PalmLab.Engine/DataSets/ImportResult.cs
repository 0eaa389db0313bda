namespace PalmLab.Engine.DataSets;

/// <summary>A finished import: the data set's folder, its manifest, and every entry that was not taken ("source: entry").</summary>
public sealed record ImportResult(string Folder, DataSetManifest Manifest, IReadOnlyList<string> Skipped);
