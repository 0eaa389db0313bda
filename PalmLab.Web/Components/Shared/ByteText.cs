using System.Globalization;

namespace PalmLab.Web.Components.Shared;

/// <summary>A size in bytes as every page and message shows it: "356 KB", "42.7 MB", "2 GB" (binary units, invariant numbers).</summary>
public static class ByteText
{
    public static string Format(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        < 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.#} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.##} GB"),
    };
}
