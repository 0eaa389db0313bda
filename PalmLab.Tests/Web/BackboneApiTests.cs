using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PalmLab.Engine.Backbones;
using PalmLab.Engine.Training;
using PalmLab.Web.Data;

namespace PalmLab.Tests.Web;

/// <summary>POST /api/runs with a pretrained backbone: the depth it brings, what it refuses, and a run that trains from it.</summary>
public class BackboneApiTests : IDisposable
{
    private static readonly int BackboneDepth = Backbones.DepthOf(Backbones.ImageNetResNet18, null);

    private readonly PalmLabAppFactory _app = new();
    private readonly HttpClient _client;

    public BackboneApiTests() => _client = _app.CreateClient();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task PostRun_WithABackboneAndNoDepth_TrainsFromItAtItsDepthAndSaysSo()
    {
        var queued = await _client.QueueAsync(new
        {
            dataSet = "tiny", preset = "quick", imageSize = 32, batchSize = 4, epochs = 1,
            backbone = Backbones.ImageNetResNet18, backboneLearningRate = 0.1, freezeBatchNorm = true,
        });

        var run = await _client.WaitForAsync(queued.Id, RunStatus.Completed, RunStatus.Failed);

        Assert.True(run.Status == RunStatus.Completed, run.ErrorMessage);
        Assert.Equal(TrainingPresets.Quick with
        {
            ImageSize = 32, BatchSize = 4, Epochs = 1, Holdout = 0.2, Backbone = Backbones.ImageNetResNet18, Depth = BackboneDepth,
            BackboneLearningRate = 0.1, FreezeBatchNorm = true,
        }, run.Options);
        using var json = JsonDocument.Parse(await _client.GetStringAsync($"/api/runs/{run.Id}"));
        Assert.Equal(Backbones.ImageNetResNet18, json.RootElement.GetProperty("options").GetProperty("backbone").GetString());
        var checkpoint = Checkpoint.ReadHeader(Path.Combine(_app.CheckpointsDir, $"run-{run.Id}", Trainer.LastCheckpointName));
        Assert.Equal(Backbones.ImageNetResNet18, checkpoint.Config.Options.Backbone);
    }

    [Theory]
    [InlineData("""{"dataSet": "tiny", "backbone": "resnet99-mars"}""", "backbone", "'resnet99-mars' is not one of the backbones: ")]
    [InlineData("""{"dataSet": "tiny", "backbone": 18}""", "backbone", "must be a name, not 18")]
    [InlineData("""{"dataSet": "tiny", "backbone": "../../etc"}""", "backbone", "must be scratch or a backbone's name")]
    [InlineData("""{"dataSet": "tiny", "backbone": "resnet18-imagenet", "backboneLearningRate": 2}""", "backboneLearningRate", "must be from 0 to 1 (a fraction of lr), not 2")]
    [InlineData("""{"dataSet": "tiny", "freezeBatchNorm": true}""", "freezeBatchNorm", "applies to a pretrained backbone")]
    [InlineData("""{"dataSet": "tiny", "backbone": "resnet18-imagenet", "imageSize": 100}""", "imageSize", "multiples of 32")]
    public async Task PostRun_BadBackboneOptions_Answers400NamingTheField(string body, string field, string message)
    {
        var response = await _client.PostAsync("/api/runs", new StringContent(body, Encoding.UTF8, "application/json"));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {text}");
        using var problem = JsonDocument.Parse(text);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out var list), $"no error for '{field}' in {text}");
        Assert.Contains(message, list[0].GetString());
    }

    [Fact]
    public async Task PostRun_ADepthThatIsNotTheBackbones_NamesBoth()
    {
        var otherDepth = BackboneDepth == 50 ? 34 : 50;

        var response = await _client.PostAsJsonAsync("/api/runs", new { dataSet = "tiny", backbone = Backbones.ImageNetResNet18, depth = otherDepth });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal($"the backbone resnet18-imagenet is a ResNet-{BackboneDepth}, not the ResNet-{otherDepth} asked for: give depth {BackboneDepth} or none",
            problem.RootElement.GetProperty("errors").GetProperty("depth")[0].GetString());
    }

    [Fact]
    public async Task OpenApi_RunOptions_ListTheBackboneOptions()
    {
        // The app created its backbones folder (PalmLab:BackbonesDir) at start-up.
        Assert.True(Directory.Exists(Path.Combine(_app.DataSetsDir, "..", "backbones")));
        using var json = JsonDocument.Parse(await _client.GetStringAsync("/openapi/v1.json"));

        var options = json.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("TrainingOptions").GetProperty("properties");
        Assert.Equal("string", options.GetProperty("backbone").GetProperty("type").GetString());
        Assert.True(options.TryGetProperty("backboneLearningRate", out _));
        Assert.True(options.TryGetProperty("freezeBatchNorm", out _));
    }
}
