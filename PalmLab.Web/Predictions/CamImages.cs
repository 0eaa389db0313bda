namespace PalmLab.Web.Predictions;

/// <summary>
/// What the page and the API show of one Grad-CAM: the image as a viewer shows it, the coloured heat map of the same
/// size (to lay over it), and a small overlay for tables; all PNG.
/// </summary>
public sealed record CamImages(byte[] PreviewPng, byte[] HeatMapPng, byte[] ThumbnailPng, int Width, int Height)
{
    private string? _previewUrl;
    private string? _heatMapUrl;
    private string? _thumbnailUrl;

    // The pages draw these as data URLs; each is encoded once, not on every render (a slider re-renders per step).
    public string PreviewUrl => _previewUrl ??= DataUrl(PreviewPng);

    public string HeatMapUrl => _heatMapUrl ??= DataUrl(HeatMapPng);

    public string ThumbnailUrl => _thumbnailUrl ??= DataUrl(ThumbnailPng);

    private static string DataUrl(byte[] png) => "data:image/png;base64," + Convert.ToBase64String(png);
}
