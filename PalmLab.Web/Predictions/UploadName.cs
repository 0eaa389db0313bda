namespace PalmLab.Web.Predictions;

/// <summary>
/// A client's file name made fit to echo back: the last path segment, without control characters, at most
/// <see cref="MaxLength"/> characters. It is only ever shown, never used to name a file.
/// </summary>
public static class UploadName
{
    public const int MaxLength = 120;

    public static string Clean(string? name, int index)
    {
        var last = (name ?? "").Replace('\\', '/').Split('/').LastOrDefault() ?? "";
        var clean = new string(last.Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (clean.Length > MaxLength)
        {
            clean = clean[..(MaxLength - 1)] + "…";
        }
        return clean.Length == 0 ? $"file {index + 1}" : clean;
    }
}
