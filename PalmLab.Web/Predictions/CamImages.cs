namespace PalmLab.Web.Predictions;

/// <summary>
/// What the page and the API show of one Grad-CAM: the image as a viewer shows it, the coloured heat map of the same
/// size (to lay over it), and a small overlay for tables; all PNG.
/// </summary>
public sealed record CamImages(byte[] PreviewPng, byte[] HeatMapPng, byte[] ThumbnailPng, int Width, int Height);
