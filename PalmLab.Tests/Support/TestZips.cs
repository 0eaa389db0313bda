using System.IO.Compression;

namespace PalmLab.Tests.Support;

/// <summary>Zip archives written on the fly, entry names taken as given (hostile ones included).</summary>
public static class TestZips
{
    public static string Write(string path, IEnumerable<(string Name, byte[] Bytes)> entries)
    {
        using var stream = File.Create(path);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create);
        foreach (var (name, bytes) in entries)
        {
            using var entry = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open();
            entry.Write(bytes);
        }
        return path;
    }

    /// <summary>Every file of <paramref name="folder"/> as an entry under <paramref name="prefix"/> ("a/b/").</summary>
    public static IEnumerable<(string Name, byte[] Bytes)> FolderEntries(string folder, string prefix) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => (prefix + Path.GetRelativePath(folder, f).Replace('\\', '/'), File.ReadAllBytes(f)));
}
