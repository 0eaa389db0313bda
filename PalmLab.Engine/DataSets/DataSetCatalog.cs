using System.Text.Json;

namespace PalmLab.Engine.DataSets;

/// <summary>
/// The data sets under a root folder. A folder is a registered data set exactly when it holds <see cref="ManifestFileName"/>;
/// hidden folders (an import in progress, a cache) are never data sets.
/// </summary>
public static class DataSetCatalog
{
    public const string ManifestFileName = "dataset.json";

    /// <summary>The registered data sets directly under <paramref name="root"/>, by name; none when the folder does not exist.</summary>
    /// <exception cref="PalmLabException">A manifest cannot be read; the message names it.</exception>
    public static IReadOnlyList<RegisteredDataSet> List(string root) =>
        !Directory.Exists(root) ? []
        : Directory.EnumerateDirectories(root)
            .Where(d => !Path.GetFileName(d).StartsWith('.') && File.Exists(Path.Combine(d, ManifestFileName)))
            .Order(StringComparer.Ordinal)
            .Select(Read)
            .ToList();

    /// <summary>Reads the manifest of the data set in <paramref name="folder"/>.</summary>
    /// <exception cref="PalmLabException">No manifest, or one that cannot be read; the message names the file.</exception>
    public static RegisteredDataSet Read(string folder)
    {
        var path = Path.Combine(folder, ManifestFileName);
        if (!File.Exists(path))
        {
            throw new PalmLabException($"{folder} is not a registered data set: it has no {ManifestFileName}.");
        }
        try
        {
            var manifest = JsonSerializer.Deserialize<DataSetManifest>(File.ReadAllText(path), DataSetJson.Options)
                ?? throw new JsonException("the file holds null");
            return new RegisteredDataSet(Path.GetFullPath(folder), manifest);
        }
        catch (JsonException e)
        {
            throw new PalmLabException($"{path} is not a readable data set manifest ({e.Message}).", e);
        }
    }

    /// <summary>
    /// Registers a folder where it is: finds its layout, builds its report and writes its manifest. The folder's name is the data set's name.
    /// </summary>
    /// <exception cref="PalmLabException">Already registered, no training folder, or no usable training image.</exception>
    public static RegisteredDataSet Register(string folder, IProgress<DataSetProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        if (File.Exists(Path.Combine(full, ManifestFileName)))
        {
            throw new PalmLabException($"{full} is already registered: it has a {ManifestFileName}.");
        }
        var layout = DataSetLayout.Find(full);
        var report = DataSetReport.Build(layout, progress, cancellationToken);
        var manifest = DataSetManifest.For(Path.GetFileName(full), [full], layout, report);
        cancellationToken.ThrowIfCancellationRequested();
        WriteManifest(full, manifest);
        return new RegisteredDataSet(full, manifest);
    }

    /// <summary>Writes the manifest through a temporary file, so a reader never sees half of one; refuses to replace one.</summary>
    internal static void WriteManifest(string folder, DataSetManifest manifest)
    {
        var path = Path.Combine(folder, ManifestFileName);
        try
        {
            AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, manifest, DataSetJson.Options), overwrite: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PalmLabException($"{path} cannot be written ({e.Message}).", e);
        }
    }
}
