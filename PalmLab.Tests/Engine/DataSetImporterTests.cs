using PalmLab.Engine;
using PalmLab.Engine.Data;
using PalmLab.Engine.DataSets;
using PalmLab.Tests.Support;

namespace PalmLab.Tests.Engine;

public class DataSetImporterTests
{
    [Fact]
    public void Import_OfficialZipsInAnyOrder_LaysOutTheDataSetAndRegistersIt()
    {
        using var temp = new TempDir();
        var tree = TestDataSets.WriteTree(temp.Sub("release"), normal: 3, high: 1, pathologic: 4, validation: 4);
        var (training, validation, labels) = TestDataSets.WriteZips(temp.Sub("zips"), tree);
        var root = temp.File("datasets");

        var result = DataSetImporter.Import([labels, training, validation], root, "palm");

        Assert.Equal(Path.Combine(root, "palm"), result.Folder);
        var registered = Assert.Single(DataSetCatalog.List(root));
        Assert.Equal(["palm"], Directory.EnumerateFileSystemEntries(root).Select(Path.GetFileName));
        Assert.Equal(8, DatasetReader.ReadTrainingFolder(registered.TrainingDir).Images.Count);
        Assert.Equal(4, DatasetReader.ReadValidationFolder(registered.ValidationDir!).Images.Count);
        Assert.Equal(Path.Combine(result.Folder, "PALM-Validation-GT", "labels.csv"), registered.LabelsFile);
        var report = registered.Manifest.Report;
        Assert.Equal((3, 1, 4, 2, 2), (report.Normal, report.HighMyopia, report.Pathologic, report.ValidationPositives, report.ValidationNegatives));
        Assert.Empty(report.Problems);
        Assert.Equal([labels, training, validation], registered.Manifest.Sources);
        Assert.Equal(8, result.Skipped.Count(s => s.StartsWith("training.zip: __MACOSX/", StringComparison.Ordinal)));
        Assert.Contains("training.zip: PALM-Training400/.DS_Store", result.Skipped);
        Assert.Contains("valid_gt.zip: PALM-Validation-GT/Disc_Masks/V0001.jpg (not part of the layout)", result.Skipped);
        Assert.Equal(DataSetReport.Build(result.Folder).ContentHash, report.ContentHash);
    }

    [Fact]
    public void Import_Folder_CopiesItsLayoutAndLeavesTheSourceAlone()
    {
        using var temp = new TempDir();
        var tree = TestDataSets.WriteTree(temp.Sub("on-server"));
        var before = Directory.GetFiles(tree, "*", SearchOption.AllDirectories).Length;

        var result = DataSetImporter.Import([tree], temp.File("datasets"), DataSetImporter.DefaultName(tree));

        Assert.Equal("on-server", result.Manifest.Name);
        Assert.Equal(8, result.Manifest.Report.TrainingImages);
        Assert.Equal(4, result.Manifest.Report.ValidationImages);
        Assert.Equal(before, Directory.GetFiles(tree, "*", SearchOption.AllDirectories).Length);
    }

    [Theory]
    [InlineData("../evil.jpg")]
    [InlineData("PALM-Training400/../../evil.jpg")]
    [InlineData("/tmp/palmlab-tests-evil.jpg")]
    public void Import_EntryOutsideTheTarget_IsRefusedAndLeavesNothing(string hostile)
    {
        using var temp = new TempDir();
        var tree = TestDataSets.WriteTree(temp.Sub("release"));
        var entries = TestZips.FolderEntries(Path.Combine(tree, "PALM-Training400"), "PALM-Training400/").ToList();
        entries.Add((hostile, entries[0].Bytes));
        var zip = TestZips.Write(temp.File("training.zip"), entries);
        var root = temp.Sub("datasets");

        var error = Assert.Throws<PalmLabException>(() => DataSetImporter.Import([zip], root, "palm"));

        Assert.Contains($"entry '{hostile}' would be written outside the data set folder", error.Message);
        Assert.StartsWith(zip, error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
        Assert.False(File.Exists(Path.Combine(temp.Path, "evil.jpg")));
        Assert.False(File.Exists("/tmp/palmlab-tests-evil.jpg"));
    }

    [Fact]
    public void Import_HighlyCompressibleEntryPastTheSizeBound_IsRefusedAndLeavesNothing()
    {
        using var temp = new TempDir();
        var tree = TestDataSets.WriteTree(temp.Sub("release"));
        var entries = TestZips.FolderEntries(Path.Combine(tree, "PALM-Training400"), "PALM-Training400/").ToList();
        entries.Add(("PALM-Training400/N0099.jpg", new byte[8 << 20]));
        var zip = TestZips.Write(temp.File("training.zip"), entries);
        Assert.True(new FileInfo(zip).Length < 100_000);
        var root = temp.Sub("datasets");

        var error = Assert.Throws<PalmLabException>(() => DataSetImporter.Import([zip], root, "palm", new ImportOptions(MaxBytes: 1 << 20)));

        Assert.Contains("'PALM-Training400/N0099.jpg'", error.Message);
        Assert.Contains("more than 1 MiB uncompressed", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
    }

    [Fact]
    public void Import_ZipHeadersUnderstatingTheSize_NeverUnpackTheBomb()
    {
        using var temp = new TempDir();
        var zip = TestZips.Write(temp.File("training.zip"), [("PALM-Training400/N0001.jpg", new byte[8 << 20])]);
        var bytes = File.ReadAllBytes(zip);
        // Declare 1,000 bytes in the local header (offset 22) and the central directory (offset 24) of the entry.
        BitConverter.TryWriteBytes(bytes.AsSpan(22, 4), 1000u);
        var central = bytes.AsSpan().IndexOf([(byte)0x50, (byte)0x4B, (byte)0x01, (byte)0x02]);
        BitConverter.TryWriteBytes(bytes.AsSpan(central + 24, 4), 1000u);
        File.WriteAllBytes(zip, bytes);
        var root = temp.Sub("datasets");

        // .NET stops inflating at the declared size, so the 8 MiB arrive as 1,000 bytes that are no image; were more to come,
        // the count of bytes written would stop them at 1 MiB. Either way the import is refused.
        Assert.Throws<PalmLabException>(() => DataSetImporter.Import([zip], root, "palm", new ImportOptions(MaxBytes: 1 << 20)));

        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
    }

    [Fact]
    public void Import_MoreEntriesThanTheBound_IsRefused()
    {
        using var temp = new TempDir();
        var (training, _, _) = TestDataSets.WriteZips(temp.Sub("zips"), TestDataSets.WriteTree(temp.Sub("release")));
        var root = temp.Sub("datasets");

        var error = Assert.Throws<PalmLabException>(() => DataSetImporter.Import([training], root, "palm", new ImportOptions(MaxEntries: 5)));

        Assert.Contains("more than 5 entries", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
    }

    [Fact]
    public void Import_CancelledHalfway_LeavesNothing()
    {
        using var temp = new TempDir();
        var (training, validation, labels) = TestDataSets.WriteZips(temp.Sub("zips"), TestDataSets.WriteTree(temp.Sub("release")));
        var root = temp.Sub("datasets");
        using var cancel = new CancellationTokenSource();
        var progress = new InlineProgress<DataSetProgress>(p =>
        {
            if (p is { Stage: "extract", Done: 5 })
            {
                cancel.Cancel();
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() => DataSetImporter.Import([training, validation, labels], root, "palm", null, progress, cancel.Token));

        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
    }

    [Fact]
    public void Import_NoTrainingFolder_NamesTheSourcesAndLeavesNothing()
    {
        using var temp = new TempDir();
        var (_, validation, labels) = TestDataSets.WriteZips(temp.Sub("zips"), TestDataSets.WriteTree(temp.Sub("release")));
        var root = temp.Sub("datasets");

        var error = Assert.Throws<PalmLabException>(() => DataSetImporter.Import([validation, labels], root, "palm"));

        Assert.StartsWith("validation.zip, valid_gt.zip: no training folder found", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
    }

    [Fact]
    public void Import_NameTaken_IsRefusedBeforeAnyWork()
    {
        using var temp = new TempDir();
        var tree = TestDataSets.WriteTree(temp.Sub("release"));
        var root = temp.Sub("datasets");
        Directory.CreateDirectory(Path.Combine(root, "palm"));

        var error = Assert.Throws<PalmLabException>(() => DataSetImporter.Import([tree], root, "palm"));

        Assert.Contains("already exists", error.Message);
        Assert.Equal(["palm"], Directory.EnumerateFileSystemEntries(root).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("palm 2019")]
    public void Import_BadName_IsRefused(string name)
    {
        using var temp = new TempDir();

        var error = Assert.Throws<PalmLabException>(() => DataSetImporter.Import([temp.Path], temp.File("datasets"), name));

        Assert.Contains("is not a usable data set name", error.Message);
        Assert.False(Directory.Exists(temp.File("datasets")));
    }

    [Theory]
    [InlineData("/x/training.zip", "training")]
    [InlineData("/x/PALM 2019 (copy)/", "PALM-2019--copy-")]
    [InlineData("/x/.hidden", "hidden")]
    public void DefaultName_Source_GivesAUsableName(string source, string expected)
    {
        var name = DataSetImporter.DefaultName(source);

        Assert.Equal(expected, name);
        DataSetImporter.EnsureValidName(name);
    }
}
