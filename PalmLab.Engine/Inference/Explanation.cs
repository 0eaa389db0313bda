namespace PalmLab.Engine.Inference;

/// <summary>
/// Grad-CAM of one image: its prediction and the heat map over the model's input (<paramref name="Size"/> x
/// <paramref name="Size"/>, row-major, 0..1; all zeros when nothing in the image raises the logit).
/// </summary>
public sealed record Explanation(Prediction Prediction, float[] HeatMap, int Size);
