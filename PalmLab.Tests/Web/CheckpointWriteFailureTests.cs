using System.Net.Http.Json;
using PalmLab.Web.Data;

namespace PalmLab.Tests.Web;

/// <summary>A checkpoint that cannot be written (a full disk) fails the run but keeps the epoch's metrics.</summary>
public class CheckpointWriteFailureTests : IDisposable
{
    private readonly PalmLabAppFactory _app = new();
    private readonly HttpClient _client;

    public CheckpointWriteFailureTests() => _client = _app.CreateClient();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task PostRun_FirstCheckpointCannotBeWritten_FailsWithTheReasonAndKeepsTheEpochsMetrics()
    {
        // The first run of a fresh database is run 1: a folder where its last.ckpt belongs fails that write as ENOSPC would.
        Directory.CreateDirectory(Path.Combine(_app.CheckpointsDir, "run-1", "last.ckpt"));

        var response = await _client.PostAsJsonAsync("/api/runs", PalmLabAppFactory.TinyRun(epochs: 2));
        var run = (await response.Content.ReadFromJsonAsync<PalmLab.Web.Api.RunDto>(ApiClient.Json))!;
        Assert.Equal(1, run.Id);
        var done = await _client.WaitForAsync(run.Id, RunStatus.Completed, RunStatus.Failed);

        Assert.Equal(RunStatus.Failed, done.Status);
        Assert.Contains("checkpoint could not be written", done.ErrorMessage);
        var epoch = Assert.Single(done.Epochs!);
        Assert.Equal(1, epoch.Epoch);
        Assert.NotNull(epoch.Validation);
        Assert.Empty(done.Checkpoints!);
    }
}
