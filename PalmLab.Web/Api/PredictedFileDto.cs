using PalmLab.Web.Predictions;

namespace PalmLab.Web.Api;

/// <summary>
/// One file's answer: the probability of pathologic myopia and the label (1 = pathologic myopia) at the threshold, or
/// the error that kept it from a prediction; with cam=true the Grad-CAM heat map as a base64 PNG and the class it
/// explains (<c>explains</c>: "pathologic" or "not pathologic"), always the class of <c>label</c>.
/// </summary>
public sealed record PredictedFileDto(string File, double? Probability, int? Label, double Threshold, string? Error, string? CamPng, string? Explains)
{
    public static PredictedFileDto From(FilePrediction p, double threshold)
    {
        var label = p.LabelAt(threshold);
        var cam = label is { } l ? p.Cam?.For(l) : null;
        return new(p.File, p.Probability, label, threshold, p.Error, cam is null ? null : Convert.ToBase64String(cam.HeatMapPng), cam?.Explains);
    }
}
