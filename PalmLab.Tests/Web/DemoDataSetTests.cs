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
        Directory.CreateDirectory(Path.Combine(app.DataSetsDir, ".demo-leftover-of-a-killed-start"));
        var client = app.CreateClient();

        var dataSets = await client.GetFromJsonAsync<List<DataSetDto>>("/api/datasets", ApiClient.Json);

        var demo = Assert.Single(dataSets!);
        Assert.Equal("demo", demo.Name);
        Assert.Equal((161, 26, 213), (demo.Report!.Normal, demo.Report.HighMyopia, demo.Report.Pathologic));
        Assert.Equal(400, demo.ValidationImages);
        Assert.True(demo.HasValidationFolder);
        Assert.Equal(["demo"], Directory.GetDirectories(app.DataSetsDir).Select(Path.GetFileName));
        var run = await client.QueueAsync(new { dataSet = "demo", preset = "quick", imageSize = 32, batchSize = 100, epochs = 1 });
        var done = await client.WaitForAsync(run.Id, RunStatus.Completed, RunStatus.Failed);
        Assert.True(done.Status == RunStatus.Completed, done.ErrorMessage);
        Assert.Equal(400, done.Epochs![0].TrueNegatives + done.Epochs[0].FalsePositives + done.Epochs[0].FalseNegatives + done.Epochs[0].TruePositives);
    }

    [Fact]
    public async Task Start_WithADataSet_GeneratesNoDemo()
    {
        using var app = new PalmLabAppFactory();
        var client = app.CreateClient();

        var dataSets = await client.GetFromJsonAsync<List<DataSetDto>>("/api/datasets", ApiClient.Json);

        Assert.Equal(["tiny"], dataSets!.Select(d => d.Name));
    }
}
