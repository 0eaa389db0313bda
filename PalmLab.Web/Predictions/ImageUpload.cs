namespace PalmLab.Web.Predictions;

/// <summary>One uploaded image held in memory, or why it was refused before it was read whole (too large).</summary>
public sealed record ImageUpload(string Name, byte[]? Bytes, string? Error = null)
{
    public static ImageUpload Refused(string name, string error) => new(name, null, error);
}
