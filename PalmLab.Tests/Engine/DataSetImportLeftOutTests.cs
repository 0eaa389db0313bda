using PalmLab.Engine;
using PalmLab.Engine.Data;
using PalmLab.Engine.DataSets;
using PalmLab.Tests.Support;

namespace PalmLab.Tests.Engine;

/// <summary>What an import leaves out, and what it refuses, is said in words the user knows: no work folder, no silent drop.</summary>
public class DataSetImportLeftOutTests
{
    [Fact]
    public void Import_ImageEntryPastTheEntryBound_IsLeftOutAndListedInTheReport()
    {
        using var temp = new TempDir();
        var tree = TestDataSets.WriteTree(temp.Sub("release"));
        var entries = TestZips.FolderEntries(Path.Combine(tree, "PALM-Training400"), "PALM-Training400/").ToList();
        // 4 MiB of zeros compress to a few kilobytes: the zip is small, the entry is not.
        entries.Add(("PALM-Training400/P0099.jpg", new byte[4 << 20]));
        var zip = TestZips.Write(temp.File("training.zip"), entries);
        Assert.True(new FileInfo(zip).Length < 100_000);
        var root = temp.Sub("datasets");

        var result = DataSetImporter.Import([zip], root, "palm", new ImportOptions(MaxEntryBytes: 1 << 20));

        var report = result.Manifest.Report;
        Assert.Equal(8, report.TrainingImages);
        Assert.False(File.Exists(Path.Combine(result.Folder, "PALM-Training400", "P0099.jpg")));
        var problem = Assert.Single(report.Problems);
        Assert.Equal(DataSetProblemKind.EntryTooLarge, problem.Kind);
        Assert.Equal(["training.zip/PALM-Training400/P0099.jpg"], problem.Files);
        Assert.Equal("training.zip/PALM-Training400/P0099.jpg: larger than the 1 MiB one image or labels file may be, so it was not imported.", problem.Message);
        // The report on disk (dataset.json) is the one the Data sets page shows.
        Assert.Contains(Assert.Single(DataSetCatalog.List(root)).Manifest.Report.Problems, p => p.Kind == DataSetProblemKind.EntryTooLarge);
    }

    [Fact]
    public void Import_FolderWithSymbolicLinks_ListsEachLinkInTheReportAndCopiesNone()
    {
        using var temp = new TempDir();
        var tree = TestDataSets.WriteTree(temp.Sub("on-server"));
        var outside = TestImages.WriteTrainingFolder(temp.Sub("elsewhere"), normal: 1, high: 0, pathologic: 1);
        var image = Directory.GetFiles(outside).Order(StringComparer.Ordinal).First();
        File.CreateSymbolicLink(Path.Combine(tree, "PALM-Training400", "N0100.jpg"), image);
        Directory.CreateSymbolicLink(Path.Combine(tree, "PALM-Training400", "more"), outside);

        var result = DataSetImporter.Import([tree], temp.Sub("datasets"), "palm");

        var links = result.Manifest.Report.Problems.Where(p => p.Kind == DataSetProblemKind.SymbolicLink).ToList();
        Assert.Equal(["on-server/PALM-Training400/N0100.jpg", "on-server/PALM-Training400/more"], links.SelectMany(p => p.Files));
        Assert.All(links, p => Assert.Contains("a symbolic link; links are not followed, so it was not imported", p.Message));
        Assert.Equal(8, result.Manifest.Report.TrainingImages);
        Assert.False(File.Exists(Path.Combine(result.Folder, "PALM-Training400", "N0100.jpg")));
    }

    [Fact]
    public void Import_EmptyZip_SaysItHoldsNoImagesWithoutAnyWorkFolder()
    {
        using var temp = new TempDir();
        var zip = TestZips.Write(temp.File("training.zip"), []);
        var root = temp.Sub("datasets");

        var error = Assert.Throws<PalmLabException>(() => DataSetImporter.Import([zip], root, "palm"));

        Assert.Equal("training.zip holds no images; nothing was imported.", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
    }

    [Fact]
    public void Import_UploadNamedByTheUser_IsNamedSoInMessagesAndTheReport()
    {
        using var temp = new TempDir();
        var zip = TestZips.Write(temp.File("upload-1.zip"), []);

        var error = Assert.Throws<PalmLabException>(() => DataSetImporter.Import([zip], temp.Sub("datasets"), "palm", sourceNames: ["training.zip"]));

        Assert.Equal("training.zip holds no images; nothing was imported.", error.Message);
    }

    [Theory]
    [InlineData(0, 4, "0 pathologic, 4 normal or high myopia")]
    [InlineData(4, 0, "4 pathologic, 0 normal or high myopia")]
    public void Import_TrainingImagesOfOneClass_IsRefusedWithTheCounts(int pathologic, int normal, string counts)
    {
        using var temp = new TempDir();
        var tree = TestDataSets.WriteTree(temp.Sub("release"), normal: normal, high: 0, pathologic: pathologic);
        var root = temp.Sub("datasets");

        var error = Assert.Throws<PalmLabException>(() => DataSetImporter.Import([tree], root, "palm"));

        Assert.Equal($"release: the training images are all of one class: {counts}; training needs both.", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
    }

    [Fact]
    public void Register_FolderOfOneClass_IsRefusedWithTheCounts()
    {
        using var temp = new TempDir();
        var tree = TestDataSets.WriteTree(temp.Sub("release"), normal: 3, high: 1, pathologic: 0);

        var error = Assert.Throws<PalmLabException>(() => DataSetReport.Build(tree));

        Assert.EndsWith("the training images are all of one class: 0 pathologic, 4 normal or high myopia; training needs both.", error.Message);
    }
}
