namespace PalmLab.Engine.Data;

/// <summary>Images found in a folder, with notes about files that were passed over.</summary>
public sealed record ImageList(IReadOnlyList<LabeledImage> Images, IReadOnlyList<string> Notes)
{
    public int Positives => Images.Count(i => i.Label == 1);

    public int Negatives => Images.Count - Positives;
}
