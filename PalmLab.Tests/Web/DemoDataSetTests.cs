using System.Net.Http.Json;
using PalmLab.Web.Api;
using PalmLab.Web.Data;

namespace PalmLab.Tests.Web;

public class DemoDataSetTests
{
    [Fact]
    public async Task FirstStart_NoDataSet_GeneratesTheDemoAndARunCanBeQueuedAtOnce()
    {
        using var app = new PalmLabAppFactory(tinyDataSet: false, new() { ["DemoImageSize"] = "64" });
        var leftover = Directory.CreateDirectory(Path.Combine(app.DataSetsDir, ".demo-leftover-of-a-killed-start"));
        leftover.LastWriteTimeUtc = DateTime.UtcNow.AddHours(-2);
        var fresh = Directory.CreateDirectory(Path.Combine(app.DataSetsDir, ".importing-in-progress"));
        var client = app.CreateClient();

        var dataSets = await client.GetFromJsonAsync<List<DataSetDto>>("/api/datasets", ApiClient.Json);

        var demo = Assert.Single(dataSets!);
        Assert.Equal("demo", demo.Name);
        Assert.Equal((161, 26, 213), (demo.Report!.Normal, demo.Report.HighMyopia, demo.Report.Pathologic));
        Assert.Equal(400, demo.ValidationImages);
        Assert.True(demo.HasValidationFolder);
        Assert.Equal([".importing-in-progress", "demo"], Directory.GetDirectories(app.DataSetsDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var run = await client.QueueAsync(new { dataSet = "demo", preset = "quick", imageSize = 32, batchSize = 100, epochs = 1 });
        var done = await client.WaitForAsync(run.Id, RunStatus.Completed, RunStatus.Failed);
        Assert.True(done.Status == RunStatus.Completed, done.ErrorMessage);
        Assert.Equal(400, done.Epochs![0].Validation!.Confusion.Total);
    }

    [Fact]
    public async Task Start_WithADataSet_GeneratesNoDemo()
    {
        using var app = new PalmLabAppFactory();
        var client = app.CreateClient();

        var dataSets = await client.GetFromJsonAsync<List<DataSetDto>>("/api/datasets", ApiClient.Json);

        Assert.Equal(["tiny"], dataSets!.Select(d => d.Name));
    }

    [Fact]
    public async Task Restart_DataSetFolderMoved_KeepsItsRowInsteadOfFailingToStart()
    {
        using var first = new PalmLabAppFactory();
        Assert.Single((await first.CreateClient().GetFromJsonAsync<List<DataSetDto>>("/api/datasets", ApiClient.Json))!);
        Directory.Move(Path.Combine(first.DataSetsDir, "tiny"), Path.Combine(first.DataSetsDir, "tiny-moved"));
        using var second = new PalmLabAppFactory(tinyDataSet: false, new()
        {
            ["DatabasePath"] = first.DatabasePath, ["DataSetsDir"] = first.DataSetsDir, ["CheckpointsDir"] = first.CheckpointsDir,
        });
        var client = second.CreateClient();

        var dataSets = await client.GetFromJsonAsync<List<DataSetDto>>("/api/datasets", ApiClient.Json);

        Assert.Equal("tiny", Assert.Single(dataSets!).Name);
        var run = await client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 1));
        Assert.Equal(RunStatus.Completed, (await client.WaitForAsync(run.Id, RunStatus.Completed, RunStatus.Failed)).Status);
    }
}
