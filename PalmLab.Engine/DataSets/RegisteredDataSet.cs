namespace PalmLab.Engine.DataSets;

/// <summary>A data set folder and its manifest, with the manifest's relative paths made full.</summary>
public sealed record RegisteredDataSet(string Folder, DataSetManifest Manifest)
{
    public string Name => Manifest.Name;

    public string TrainingDir => Full(Manifest.TrainingDir);

    public string? ValidationDir => Manifest.ValidationDir is null ? null : Full(Manifest.ValidationDir);

    public string? LabelsFile => Manifest.LabelsFile is null ? null : Full(Manifest.LabelsFile);

    private string Full(string relative) => Path.GetFullPath(Path.Combine(Folder, relative));
}
