using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using PalmLab.Engine;
using PalmLab.Engine.DataSets;
using PalmLab.Engine.Synthetic;
using PalmLab.Tests.Support;
using PalmLab.Web.DataSets;
using PalmLab.Web.Options;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace PalmLab.Tests.Web.DataSets;

/// <summary>Uploads, folder imports and generation as the Data sets page drives them, against a real folder and SQLite file.</summary>
public sealed class DataSetImportsTests : IDisposable
{
    private readonly RunListSeed _seed = new();
    private readonly TempDir _sources = new();
    private readonly string _root;

    public DataSetImportsTests() => _root = Path.Combine(_seed.Folder, "datasets");

    public void Dispose()
    {
        _seed.Dispose();
        _sources.Dispose();
    }

    private DataSetImports Imports(long maxUploadBytes = 1L << 30, long maxImageEntryBytes = 20L << 20)
    {
        Directory.CreateDirectory(_root);
        var options = MsOptions.Create(new PalmLabOptions { DataSetsDir = _root, MaxUploadBytes = maxUploadBytes, MaxImageEntryBytes = maxImageEntryBytes });
        var registry = new DataSetRegistry(_seed.Factory, options, NullLogger<DataSetRegistry>.Instance);
        return new DataSetImports(registry, _seed.Factory, options, NullLogger<DataSetImports>.Instance);
    }

    private (string Training, string Validation, string Labels) OfficialZips()
    {
        var tree = TestDataSets.WriteTree(_sources.Sub("tree"), normal: 3, high: 1, pathologic: 4, validation: 4);
        return TestDataSets.WriteZips(_sources.Sub("zips"), tree);
    }

    private string[] Leftovers() => Directory.EnumerateFileSystemEntries(_root).Select(Path.GetFileName).OfType<string>().Order().ToArray();

    [Fact]
    public async Task ImportUploadsAsync_OfficialZipsInAnyOrder_RegistersTheDataSetWithTheirCounts()
    {
        var zips = OfficialZips();
        var reports = new List<ImportProgress>();
        var files = new[] { zips.Labels, zips.Training, zips.Validation }.Select(p => FileBrowserFile.FromPath(p)).ToList();

        var id = await Imports().ImportUploadsAsync(files, "palm", new InlineProgress<ImportProgress>(reports.Add), CancellationToken.None);

        await using var db = await _seed.Factory.CreateDbContextAsync();
        var row = db.DataSets.Single(d => d.Id == id);
        var report = DataSetSamples.Report(row)!;
        Assert.Equal(("palm", 8, 4), (row.Name, row.TrainImages, row.ValidationImages));
        Assert.Equal((3, 1, 4), (report.Normal, report.HighMyopia, report.Pathologic));
        Assert.Equal((2, 2), (report.ValidationPositives, report.ValidationNegatives));
        Assert.Equal(["palm"], Leftovers());
        var total = files.Sum(f => f.Size);
        Assert.Contains(reports, r => r is { Stage: "upload", File: 2 } && r.Done == total && r.FileDone == files[2].Size);
        Assert.Contains(reports, r => r.Stage == "check" && r.Done == r.Total && r.Total == 12);
    }

    [Fact]
    public async Task ImportUploadsAsync_FileOverTheLimit_IsRefusedBeforeCopyingAndLeavesNothing()
    {
        var zips = OfficialZips();
        var file = FileBrowserFile.FromPath(zips.Training);

        var e = await Assert.ThrowsAsync<PalmLabException>(() => Imports(maxUploadBytes: file.Size - 1).ImportUploadsAsync([file], "palm", null, CancellationToken.None));

        Assert.Contains("training.zip is", e.Message);
        Assert.Contains("more than the", e.Message);
        Assert.Empty(Leftovers());
        await using var db = await _seed.Factory.CreateDbContextAsync();
        Assert.Empty(db.DataSets);
    }

    [Fact]
    public async Task ImportUploadsAsync_FileSendingMoreThanItsDeclaredSize_IsRefusedAndLeavesNothing()
    {
        var zips = OfficialZips();
        var bytes = File.ReadAllBytes(zips.Training);
        var liar = new FileBrowserFile("training.zip", bytes, declaredSize: bytes.Length / 2);

        var e = await Assert.ThrowsAsync<PalmLabException>(() => Imports().ImportUploadsAsync([liar], "palm", null, CancellationToken.None));

        Assert.Contains("sent more bytes than its size", e.Message);
        Assert.Empty(Leftovers());
    }

    [Fact]
    public async Task ImportUploadsAsync_NotAZipName_SaysSoAndLeavesNothing()
    {
        var e = await Assert.ThrowsAsync<PalmLabException>(() =>
            Imports().ImportUploadsAsync([new FileBrowserFile("notes.txt", [1, 2, 3])], "palm", null, CancellationToken.None));

        Assert.Equal("notes.txt is not a .zip file: upload the official zips (training.zip, validation.zip, valid_gt.zip).", e.Message);
        Assert.Empty(Leftovers());
    }

    [Fact]
    public async Task ImportUploadsAsync_BrokenZip_NamesTheUploadedFileAndLeavesNothing()
    {
        var broken = new FileBrowserFile("training.zip", Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray());

        var e = await Assert.ThrowsAsync<PalmLabException>(() => Imports().ImportUploadsAsync([broken], "palm", null, CancellationToken.None));

        Assert.StartsWith("training.zip is not a readable zip file", e.Message);
        Assert.DoesNotContain(_root, e.Message);
        Assert.Empty(Leftovers());
    }

    [Fact]
    public async Task ImportUploadsAsync_EmptyZip_SaysItHoldsNoImagesNamingNoServerPath()
    {
        var empty = TestZips.Write(_sources.File("anything.zip"), []);
        var upload = new FileBrowserFile("training.zip", await File.ReadAllBytesAsync(empty));

        var e = await Assert.ThrowsAsync<PalmLabException>(() => Imports().ImportUploadsAsync([upload], "palm", null, CancellationToken.None));

        Assert.Equal("training.zip holds no images; nothing was imported.", e.Message);
        Assert.Empty(Leftovers());
    }

    [Fact]
    public async Task ImportUploadsAsync_ImageEntryPastMaxImageEntryBytes_IsLeftOutAndListedUnderTheUploadsName()
    {
        var tree = TestDataSets.WriteTree(_sources.Sub("tree"));
        var entries = TestZips.FolderEntries(Path.Combine(tree, "PALM-Training400"), "PALM-Training400/").ToList();
        entries.Add(("PALM-Training400/P0099.jpg", new byte[3 << 20]));
        var zip = TestZips.Write(_sources.File("big.zip"), entries);
        var upload = new FileBrowserFile("training.zip", await File.ReadAllBytesAsync(zip));

        var id = await Imports(maxImageEntryBytes: 1 << 20).ImportUploadsAsync([upload], "palm", null, CancellationToken.None);

        await using var db = await _seed.Factory.CreateDbContextAsync();
        var report = JsonSerializer.Deserialize<DataSetReport>((await db.DataSets.SingleAsync(d => d.Id == id)).ReportJson!, DataSetJson.Options)!;
        var problem = Assert.Single(report.Problems);
        Assert.Equal(DataSetProblemKind.EntryTooLarge, problem.Kind);
        Assert.Equal(["training.zip/PALM-Training400/P0099.jpg"], problem.Files);
        Assert.Equal(8, report.TrainingImages);
    }

    [Fact]
    public async Task ImportUploadsAsync_ZipWithoutATrainingFolder_SaysSoAndLeavesNothing()
    {
        var zip = TestZips.Write(_sources.File("other.zip"), [("readme/labels.csv", "ID,imgName,Label\n"u8.ToArray())]);

        var e = await Assert.ThrowsAsync<PalmLabException>(() => Imports().ImportUploadsAsync([FileBrowserFile.FromPath(zip)], "palm", null, CancellationToken.None));

        Assert.Contains("no training folder found", e.Message);
        Assert.Empty(Leftovers());
    }

    [Fact]
    public async Task ImportUploadsAsync_UploadBrokenOff_SaysSoAndLeavesNothing()
    {
        var zips = OfficialZips();
        var bytes = File.ReadAllBytes(zips.Training);
        var lost = new FileBrowserFile("training.zip", bytes, failAfter: bytes.Length / 2);

        var e = await Assert.ThrowsAsync<PalmLabException>(() => Imports().ImportUploadsAsync([lost], "palm", null, CancellationToken.None));

        Assert.StartsWith("Uploading training.zip stopped after", e.Message);
        Assert.Empty(Leftovers());
    }

    [Fact]
    public async Task ImportUploadsAsync_CancelledWhileUploading_LeavesNothing()
    {
        var zips = OfficialZips();
        using var cancel = new CancellationTokenSource();
        var file = new FileBrowserFile("training.zip", File.ReadAllBytes(zips.Training), onFirstRead: cancel.Cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Imports().ImportUploadsAsync([file], "palm", null, cancel.Token));

        Assert.Empty(Leftovers());
    }

    [Fact]
    public async Task ImportUploadsAsync_NameTaken_IsRefusedBeforeUploading()
    {
        var zips = OfficialZips();
        var imports = Imports();
        await imports.ImportUploadsAsync([FileBrowserFile.FromPath(zips.Training)], "palm", null, CancellationToken.None);
        var read = false;
        var second = new FileBrowserFile("training.zip", File.ReadAllBytes(zips.Training), onFirstRead: () => read = true);

        var e = await Assert.ThrowsAsync<PalmLabException>(() => imports.ImportUploadsAsync([second], "palm", null, CancellationToken.None));

        Assert.Equal("A data set named 'palm' already exists: choose another name.", e.Message);
        Assert.False(read, "The file was uploaded although the name was taken.");
        Assert.Equal(["palm"], Leftovers());
    }

    [Fact]
    public async Task ImportFolderAsync_MissingOrRelativeOrEmptyFolder_SaysWhatIsWrong()
    {
        var imports = Imports();
        var missing = Path.Combine(_sources.Path, "nowhere");

        var relative = await Assert.ThrowsAsync<PalmLabException>(() => imports.ImportFolderAsync("data/palm", "palm", null, CancellationToken.None));
        var absent = await Assert.ThrowsAsync<PalmLabException>(() => imports.ImportFolderAsync(missing, "palm", null, CancellationToken.None));
        var empty = await Assert.ThrowsAsync<PalmLabException>(() => imports.ImportFolderAsync(_sources.Sub("empty"), "palm", null, CancellationToken.None));
        var own = await Assert.ThrowsAsync<PalmLabException>(() => imports.ImportFolderAsync(_root, "palm", null, CancellationToken.None));

        Assert.Equal("Give the folder's full path on the server, such as /data/palm.", relative.Message);
        Assert.Equal($"There is no folder {missing} on the server.", absent.Message);
        Assert.Contains("no training folder found", empty.Message);
        Assert.Contains("PalmLab's data sets folder", own.Message);
        Assert.Empty(Leftovers());
    }

    [Fact]
    public async Task ImportFolderAsync_OfficialTree_CopiesAndRegistersIt()
    {
        var tree = TestDataSets.WriteTree(_sources.Sub("tree"), normal: 2, high: 2, pathologic: 3, validation: 2);

        var id = await Imports().ImportFolderAsync(tree, "copied", null, CancellationToken.None);

        await using var db = await _seed.Factory.CreateDbContextAsync();
        var row = db.DataSets.Single(d => d.Id == id);
        Assert.Equal(("copied", 7, 2), (row.Name, row.TrainImages, row.ValidationImages));
        Assert.StartsWith(_root, row.TrainDir);
        Assert.True(File.Exists(Path.Combine(tree, "PALM-Training400", "N0001.jpg")), "The source folder was changed.");
    }

    [Fact]
    public async Task GenerateAsync_SmallSet_RegistersItWithTheGeneratedCounts()
    {
        var reports = new List<ImportProgress>();
        var options = new SyntheticDataOptions { Width = 64, Height = 64, TrainCount = 12, ValidationCount = 6, Seed = 3 };

        var id = await Imports().GenerateAsync("synthetic", options, new InlineProgress<ImportProgress>(reports.Add), CancellationToken.None);

        await using var db = await _seed.Factory.CreateDbContextAsync();
        var row = db.DataSets.Single(d => d.Id == id);
        var report = DataSetSamples.Report(row)!;
        Assert.Equal(("synthetic", 12, 6), (row.Name, row.TrainImages, row.ValidationImages));
        Assert.Equal(12, report.Normal + report.HighMyopia + report.Pathologic);
        Assert.Empty(report.Problems);
        Assert.Equal(["synthetic"], Leftovers());
        Assert.Contains(reports, r => r is { Stage: "generate", Done: 18, Total: 18 });
    }

    [Fact]
    public async Task GenerateAsync_BadOptions_ListsThemAndLeavesNothing()
    {
        var e = await Assert.ThrowsAsync<PalmLabException>(() =>
            Imports().GenerateAsync("synthetic", new SyntheticDataOptions { TrainCount = 0 }, null, CancellationToken.None));

        Assert.Contains("train-count: must be between 1 and", e.Message);
        Assert.Empty(Leftovers());
    }
}
