namespace PalmLab.Engine.DataSets;

/// <summary>
/// What a data set holds and what is wrong with it. Class counts leave out corrupt images; problems are listed, not fatal.
/// </summary>
/// <param name="TrainingImages">Image files in the training folder.</param>
/// <param name="Normal">Readable N* training images (label 0).</param>
/// <param name="HighMyopia">Readable H* training images (label 0).</param>
/// <param name="Pathologic">Readable P* training images (label 1).</param>
/// <param name="ValidationImages">Image files in the validation folder (0 without one).</param>
/// <param name="ValidationPositives">Readable validation images labelled 1.</param>
/// <param name="ValidationNegatives">Readable validation images labelled 0.</param>
/// <param name="ImageSizes">Distinct pixel sizes of the readable images, most frequent first.</param>
/// <param name="ContentHash">SHA-256 (hex) over the sorted lines "relative path, tab, SHA-256 of the file" of every image and the labels file.</param>
/// <param name="Problems">Every problem found, grouped by kind.</param>
public sealed record DataSetReport(
    int TrainingImages,
    int Normal,
    int HighMyopia,
    int Pathologic,
    int ValidationImages,
    int ValidationPositives,
    int ValidationNegatives,
    IReadOnlyList<ImageSizeCount> ImageSizes,
    string ContentHash,
    IReadOnlyList<DataSetProblem> Problems)
{
    /// <summary>
    /// Reads every image of the layout found in <paramref name="folder"/> (all cores): decodes each one fully, hashes it,
    /// and checks names, labels and duplicates.
    /// </summary>
    /// <exception cref="PalmLabException">No training folder, or no training image that can be used.</exception>
    public static DataSetReport Build(string folder, IProgress<DataSetProgress>? progress = null, CancellationToken cancellationToken = default) =>
        DataSetReportBuilder.Build(DataSetLayout.Find(folder), folder, progress, cancellationToken);

    /// <summary>As <see cref="Build(string, IProgress{DataSetProgress}?, CancellationToken)"/>, for a layout already found.</summary>
    public static DataSetReport Build(DataSetLayout layout, IProgress<DataSetProgress>? progress = null, CancellationToken cancellationToken = default) =>
        DataSetReportBuilder.Build(layout, layout.Root, progress, cancellationToken);
}
