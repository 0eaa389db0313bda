using System.Text.Json;
using PalmLab.Engine.DataSets;
using PalmLab.Tests.Support;

namespace PalmLab.Tests.Cli;

public class DataSetCliTests
{
    [Fact]
    public void Import_OfficialZips_PrintsTheSummaryAndRegistersTheDataSet()
    {
        using var temp = new TempDir();
        var tree = TestDataSets.WriteTree(temp.Sub("release"));
        File.Copy(Path.Combine(tree, "PALM-Training400", "P0001.jpg"), Path.Combine(tree, "PALM-Training400", "P0009.jpg"));
        var (training, validation, labels) = TestDataSets.WriteZips(temp.Sub("zips"), tree);
        var root = temp.File("datasets");

        var result = CliProcess.Run("import", validation, training, labels, "--out", root, "--name", "palm-2019");

        Assert.True(result.ExitCode == 0, result.StdErr);
        var lines = result.StdOut.Trim().Split('\n');
        Assert.Equal("imported validation.zip, training.zip, valid_gt.zip as 'palm-2019'", lines[0]);
        Assert.Equal("training: 9 images (3 N, 1 H, 5 P readable)", lines[1]);
        Assert.Equal("validation: 4 images (2 labelled 1, 2 labelled 0)", lines[2]);
        Assert.Contains("problems: 1", lines);
        Assert.Contains("  PALM-Training400/P0001.jpg, PALM-Training400/P0009.jpg are byte-identical training images.", lines);
        Assert.Equal($"data set: {Path.Combine(root, "palm-2019")}", lines[^1]);
        Assert.Equal("palm-2019", Assert.Single(DataSetCatalog.List(root)).Name);
    }

    [Fact]
    public void Import_ZipSlipEntry_ExitsNonZeroNamingTheEntry()
    {
        using var temp = new TempDir();
        var zip = TestZips.Write(temp.File("training.zip"), [("../evil.jpg", [1, 2, 3])]);

        var result = CliProcess.Run("import", zip, "--out", temp.File("datasets"));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: ", result.StdErr);
        Assert.Contains("'../evil.jpg' would be written outside the data set folder", result.StdErr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.File("datasets")));
    }

    [Fact]
    public void Report_Folder_PrintsTheReportAsJson()
    {
        using var temp = new TempDir();
        var tree = TestDataSets.WriteTree(temp.Sub("release"));

        var result = CliProcess.Run("report", tree);

        Assert.True(result.ExitCode == 0, result.StdErr);
        using var json = JsonDocument.Parse(result.StdOut);
        Assert.Equal("PALM-Training400", json.RootElement.GetProperty("trainingDir").GetString());
        Assert.Equal(4, json.RootElement.GetProperty("report").GetProperty("pathologic").GetInt32());
        Assert.Equal(0, json.RootElement.GetProperty("report").GetProperty("problems").GetArrayLength());
    }
}
