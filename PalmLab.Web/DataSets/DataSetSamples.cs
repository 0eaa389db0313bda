using System.Text.Json;
using PalmLab.Engine;
using PalmLab.Engine.Data;
using PalmLab.Engine.DataSets;
using PalmLab.Engine.Synthetic;
using PalmLab.Web.Data;

namespace PalmLab.Web.DataSets;

/// <summary>
/// The training images of each class that the Data sets page shows, by index: the readable N*, H* or P* files of the
/// data set's own training folder in name order. The page and the image endpoint both go through here, so an index
/// always means the same file and no path from a request ever reaches the disk.
/// </summary>
public static class DataSetSamples
{
    /// <summary>The classes in the order the page shows them, with the name each has in a sample image's address.</summary>
    public static IReadOnlyList<(FundusClass Class, string Slug, string Title)> Classes { get; } =
    [
        (FundusClass.Normal, "normal", "Normal"),
        (FundusClass.HighMyopia, "high-myopia", "High myopia"),
        (FundusClass.Pathologic, "pathologic", "Pathologic myopia"),
    ];

    public static bool TryParse(string slug, out FundusClass kind)
    {
        var match = Classes.FirstOrDefault(c => c.Slug == slug);
        kind = match.Class;
        return match.Slug is not null;
    }

    /// <summary>The address of a sample image (DataSetsApi serves it), as the page writes it.</summary>
    public static string ImageUrl(int dataSetId, string slug, int index) => $"/api/datasets/{dataSetId}/images/{slug}/{index}";

    public static string SlugOf(FundusClass kind) => Classes.Single(c => c.Class == kind).Slug;

    /// <summary>The full paths of the readable training images of <paramref name="kind"/>; none when the folder is gone.</summary>
    public static IReadOnlyList<string> Files(DataSet dataSet, FundusClass kind)
    {
        var prefix = kind switch { FundusClass.Normal => 'N', FundusClass.HighMyopia => 'H', _ => 'P' };
        var corrupt = Report(dataSet)?.Problems.Where(p => p.Kind == DataSetProblemKind.CorruptImage).SelectMany(p => p.Files).ToHashSet(StringComparer.Ordinal) ?? [];
        try
        {
            return DatasetReader.ListImages(dataSet.TrainDir).Files
                .Where(f => char.ToUpperInvariant(Path.GetFileName(f)[0]) == prefix)
                .Where(f => !corrupt.Contains(Path.GetRelativePath(dataSet.Path, f).Replace(Path.DirectorySeparatorChar, '/')))
                .ToList();
        }
        catch (Exception e) when (e is PalmLabException or IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>The engine's report stored with the data set, or null when there is none.</summary>
    public static DataSetReport? Report(DataSet dataSet) =>
        dataSet.ReportJson is null ? null : JsonSerializer.Deserialize<DataSetReport>(dataSet.ReportJson, DataSetJson.Options);
}
