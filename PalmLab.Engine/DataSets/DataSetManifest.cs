namespace PalmLab.Engine.DataSets;

/// <summary>
/// The <c>dataset.json</c> of a registered data set. Folder and file paths are relative to the data set's folder, with '/' separators.
/// </summary>
/// <param name="Name">The data set's name (its folder's name).</param>
/// <param name="CreatedUtc">When it was imported or registered.</param>
/// <param name="Sources">The zips and folders it was imported from (full paths), or the folder registered in place.</param>
/// <param name="TrainingDir">The training folder.</param>
/// <param name="ValidationDir">The validation folder, if any.</param>
/// <param name="LabelsFile">The validation labels file, if any.</param>
/// <param name="Report">Counts, sizes, content hash and problems, as found when it was registered.</param>
public sealed record DataSetManifest(
    string Name,
    DateTimeOffset CreatedUtc,
    IReadOnlyList<string> Sources,
    string TrainingDir,
    string? ValidationDir,
    string? LabelsFile,
    DataSetReport Report)
{
    /// <summary>A manifest for <paramref name="layout"/>, whose <see cref="DataSetLayout.Root"/> is the data set's folder.</summary>
    public static DataSetManifest For(string name, IReadOnlyList<string> sources, DataSetLayout layout, DataSetReport report) => new(
        name, DateTimeOffset.UtcNow, sources, layout.Relative(layout.TrainingDir),
        layout.ValidationDir is null ? null : layout.Relative(layout.ValidationDir),
        layout.LabelsFile is null ? null : layout.Relative(layout.LabelsFile),
        report);
}
