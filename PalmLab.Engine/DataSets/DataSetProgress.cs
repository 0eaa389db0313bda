namespace PalmLab.Engine.DataSets;

/// <summary>How far a stage of an import or a report ("extract", "check") has come, in files.</summary>
public sealed record DataSetProgress(string Stage, int Done, int Total);
