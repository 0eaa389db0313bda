namespace PalmLab.Engine.Inference;

/// <summary>The model's answer for one image: the probability of pathologic myopia and the label at the threshold, or why it failed.</summary>
public sealed record Prediction(string Path, float? Probability, int? Label, string? Error = null);
