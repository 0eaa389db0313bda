namespace PalmLab.Engine.Data;

/// <summary>How far decoding of one part of the data ("train", "validation") has come.</summary>
public sealed record DataLoadProgress(string Part, int Done, int Total);
