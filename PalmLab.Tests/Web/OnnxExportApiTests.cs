using System.Net;
using PalmLab.Engine.Inference;
using PalmLab.Web.Data;
using PalmLab.Tests.Support;

namespace PalmLab.Tests.Web;

/// <summary>GET /api/runs/{id}/checkpoints/{kind}/onnx: the checkpoint as ONNX, guarded as the checkpoint download is.</summary>
public sealed class OnnxExportApiTests : IDisposable
{
    private readonly PalmLabAppFactory _app = new();
    private readonly HttpClient _client;

    public OnnxExportApiTests() => _client = _app.CreateClient();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task DownloadOnnx_CompletedRun_GivesAFileOnnxRuntimeRunsToThePredictorsProbabilities()
    {
        var run = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 1));
        await _client.WaitForAsync(run.Id, RunStatus.Completed);
        var checkpoint = Path.Combine(_app.CheckpointsDir, $"run-{run.Id}", "best.ckpt");

        var response = await _client.GetAsync($"/api/runs/{run.Id}/checkpoints/best/onnx");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"run-{run.Id}-best.onnx", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var images = Directory.GetFiles(Path.Combine(_app.DataSetsDir, "tiny", "PALM-Training400"), "*.jpg").Order(StringComparer.Ordinal).Take(6).ToList();
        using var predictor = Predictor.Load(checkpoint, "cpu");
        var expected = predictor.Predict(images).Select(p => p.Probability!.Value).ToArray();
        var actual = OnnxExportModels.OnnxProbabilities(await response.Content.ReadAsByteArrayAsync(), images, predictor.ImageSize);
        Assert.All(expected.Zip(actual), pair => Assert.InRange(pair.Second, pair.First - 1e-5f, pair.First + 1e-5f));
    }

    [Fact]
    public async Task DownloadOnnx_NoSuchRunNoCheckpointOrBadKind_AnswersProblems()
    {
        await (await _client.GetAsync("/api/runs/999/checkpoints/best/onnx")).AssertProblemAsync(HttpStatusCode.NotFound, "ONNX of an unknown run");
        // Cancelled while queued behind a long run: it never trained, so it has no checkpoint.
        var blocker = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 50));
        var run = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 1));
        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsync($"/api/runs/{run.Id}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsync($"/api/runs/{blocker.Id}/cancel", null)).StatusCode);

        var missing = await _client.GetAsync($"/api/runs/{run.Id}/checkpoints/last/onnx");

        Assert.Contains("has no last checkpoint", (await missing.AssertProblemAsync(HttpStatusCode.NotFound, "ONNX of a missing checkpoint")).Detail);
        var bad = await _client.GetAsync($"/api/runs/{run.Id}/checkpoints/worst/onnx");
        Assert.Contains("use 'best' or 'last'", (await bad.AssertProblemAsync(HttpStatusCode.BadRequest, "kind worst")).Detail);
        var fold = await _client.GetAsync($"/api/runs/{run.Id}/checkpoints/best/onnx?fold=2");
        Assert.Contains("not cross-validated", (await fold.AssertProblemAsync(HttpStatusCode.BadRequest, "fold of a plain run")).Detail);
    }

    [Fact]
    public async Task DownloadOnnx_DamagedCheckpoint_Answers409WithoutTheServersPath()
    {
        var run = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 1));
        await _client.WaitForAsync(run.Id, RunStatus.Completed);
        await File.WriteAllTextAsync(Path.Combine(_app.CheckpointsDir, $"run-{run.Id}", "last.ckpt"), "damaged");

        var response = await _client.GetAsync($"/api/runs/{run.Id}/checkpoints/last/onnx");

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict, "ONNX of a damaged checkpoint");
        Assert.Contains("damaged or unreadable", problem.Detail);
        Assert.DoesNotContain(_app.CheckpointsDir, await response.Content.ReadAsStringAsync());
    }
}
