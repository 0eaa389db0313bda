namespace PalmLab.Engine.Synthetic;

/// <summary>How many of the synthetic images have been written.</summary>
public sealed record GenerationProgress(int Done, int Total);
