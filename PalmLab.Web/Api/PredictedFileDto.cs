using PalmLab.Web.Predictions;

namespace PalmLab.Web.Api;

/// <summary>
/// One file's answer: the probability of pathologic myopia and the label (1 = pathologic myopia) at the threshold, or
/// the error that kept it from a prediction; with cam=true the Grad-CAM heat map as a base64 PNG.
/// </summary>
public sealed record PredictedFileDto(string File, double? Probability, int? Label, double Threshold, string? Error, string? CamPng)
{
    public static PredictedFileDto From(FilePrediction p, double threshold) =>
        new(p.File, p.Probability, p.LabelAt(threshold), threshold, p.Error, p.Cam is { } cam ? Convert.ToBase64String(cam.HeatMapPng) : null);
}
