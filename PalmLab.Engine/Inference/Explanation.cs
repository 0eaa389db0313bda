namespace PalmLab.Engine.Inference;

/// <summary>
/// Grad-CAM of one image: its prediction and the heat maps over the model's input (<paramref name="Size"/> x
/// <paramref name="Size"/>, row-major, 0..1) of both classes: <paramref name="PathologicMap"/>, the evidence for
/// pathologic myopia, and <paramref name="NotPathologicMap"/>, the evidence against it (each all zeros when the image
/// holds none). <see cref="HeatMap"/> is the map of the class predicted, <see cref="ExplainedLabel"/>.
/// </summary>
public sealed record Explanation(Prediction Prediction, int Size, float[] PathologicMap, float[] NotPathologicMap)
{
    /// <summary>The class <see cref="HeatMap"/> explains: the label predicted, 1 (pathologic myopia) or 0 (not pathologic).</summary>
    public int ExplainedLabel => Prediction.Label == 1 ? 1 : 0;

    /// <summary>The map of the class predicted: what made the model decide as it did.</summary>
    public float[] HeatMap => MapOf(ExplainedLabel);

    /// <summary>What <see cref="HeatMap"/> explains, in words: "pathologic myopia" or "not pathologic".</summary>
    public string ExplainedClass => ClassName(ExplainedLabel);

    /// <summary>The map of <paramref name="label"/> (1: pathologic myopia, 0: not pathologic), as when the threshold puts the image there.</summary>
    public float[] MapOf(int label) => label == 1 ? PathologicMap : NotPathologicMap;

    /// <summary>"pathologic myopia" for 1, "not pathologic" for 0.</summary>
    public static string ClassName(int label) => label == 1 ? "pathologic myopia" : "not pathologic";
}
