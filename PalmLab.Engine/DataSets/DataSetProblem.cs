namespace PalmLab.Engine.DataSets;

/// <summary>One problem found in a data set: what, a message for the user, and the files concerned (relative to the data set).</summary>
public sealed record DataSetProblem(DataSetProblemKind Kind, string Message, IReadOnlyList<string> Files);
