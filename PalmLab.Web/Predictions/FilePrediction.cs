namespace PalmLab.Web.Predictions;

/// <summary>The answer for one uploaded file: its probability of pathologic myopia, or why there is none.</summary>
public sealed record FilePrediction(string File, double? Probability, string? Error, CamImages? Cam = null)
{
    /// <summary>1 (pathologic myopia) when the probability reaches <paramref name="threshold"/>, 0 below, null without one.</summary>
    public int? LabelAt(double threshold) => Probability is { } p ? (p >= threshold ? 1 : 0) : null;

    public static string LabelText(int? label) => label switch
    {
        1 => "pathologic myopia",
        0 => "not pathologic",
        _ => "",
    };
}
