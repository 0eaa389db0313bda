namespace PalmLab.Web.Predictions;

/// <summary>
/// What the page and the API show of one Grad-CAM: the image as a viewer shows it and, per class drawn, the coloured heat
/// map of the same size (to lay over it) and a small overlay for tables; all PNG. A map explains one class, the one the
/// label at the threshold in force names: <see cref="For"/> picks it. The page draws both classes (its threshold slider
/// relabels without predicting again); the API only the class at its answer's threshold.
/// </summary>
public sealed record CamImages(byte[] PreviewPng, int Width, int Height, ClassCam? Pathologic, ClassCam? NotPathologic)
{
    private string? _previewUrl;

    // The pages draw these as data URLs; each is encoded once, not on every render (a slider re-renders per step).
    public string PreviewUrl => _previewUrl ??= ClassCam.DataUrl(PreviewPng);

    /// <summary>The map of <paramref name="label"/> (1: pathologic myopia, 0: not pathologic); null when it was not drawn.</summary>
    public ClassCam? For(int label) => label == 1 ? Pathologic : NotPathologic;
}

/// <summary>One class's Grad-CAM drawn: <paramref name="Label"/> (1 pathologic myopia, 0 not pathologic), its heat map and thumbnail PNGs.</summary>
public sealed record ClassCam(int Label, byte[] HeatMapPng, byte[] ThumbnailPng)
{
    private string? _heatMapUrl;
    private string? _thumbnailUrl;

    /// <summary>"pathologic" or "not pathologic": the class whose evidence the map shows, as the API names it.</summary>
    public string Explains => Label == 1 ? "pathologic" : "not pathologic";

    /// <summary>"pathologic myopia" or "not pathologic", as the page names the class.</summary>
    public string ClassName => PalmLab.Engine.Inference.Explanation.ClassName(Label);

    /// <summary>"Heat map: evidence for pathologic myopia" or "Heat map: evidence for not pathologic", the caption a viewer reads.</summary>
    public string Caption => $"Heat map: evidence for {ClassName}";

    public string HeatMapUrl => _heatMapUrl ??= DataUrl(HeatMapPng);

    public string ThumbnailUrl => _thumbnailUrl ??= DataUrl(ThumbnailPng);

    internal static string DataUrl(byte[] png) => "data:image/png;base64," + Convert.ToBase64String(png);
}
