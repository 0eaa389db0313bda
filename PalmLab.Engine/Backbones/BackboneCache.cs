using System.Collections.Concurrent;
using PalmLab.Engine.Onnx;

namespace PalmLab.Engine.Backbones;

/// <summary>
/// Parsed ONNX files, read once per process (the built-in ResNet-18 is 64 MB) and read again only when the file's size or
/// time changes. What is cached is immutable; every caller builds its own network from it.
/// </summary>
internal static class BackboneCache
{
    private static readonly ConcurrentDictionary<string, (DateTime Written, long Length, object Value)> Entries = new(StringComparer.Ordinal);
    private static readonly object ReadLock = new();

    public static ImportedResNet Imported(string path) => Get(path, OnnxResNetImporter.Read);

    public static PreprocessGraph Preprocess(string path) => Get(path, PreprocessGraph.Read);

    private static T Get<T>(string path, Func<string, T> read) where T : class
    {
        var full = Path.GetFullPath(path);
        var key = $"{typeof(T).Name}:{full}";
        var info = new FileInfo(full);
        if (Entries.TryGetValue(key, out var entry) && Matches(entry, info) && entry.Value is T cached)
        {
            return cached;
        }
        lock (ReadLock)
        {
            info.Refresh();
            if (Entries.TryGetValue(key, out entry) && Matches(entry, info) && entry.Value is T again)
            {
                return again;
            }
            var value = read(full);
            Entries[key] = (info.LastWriteTimeUtc, info.Length, value);
            return value;
        }
    }

    private static bool Matches((DateTime Written, long Length, object Value) entry, FileInfo info) =>
        info.Exists && entry.Written == info.LastWriteTimeUtc && entry.Length == info.Length;
}
