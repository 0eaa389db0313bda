using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;

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
        // A folder where its last.ckpt belongs fails that write as ENOSPC would. It is laid in the run's own folder
        // (marked with its identity) while a blocker trains: a folder that is not the run's own would be moved aside.
        var blocker = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 200));
        var queued = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 2));
        await _client.WaitForAsync(blocker.Id, RunStatus.Running);
        await using (var db = await _app.Services.GetRequiredService<IDbContextFactory<PalmLabDbContext>>().CreateDbContextAsync())
        {
            var folder = Path.Combine(_app.CheckpointsDir, $"run-{queued.Id}");
            Directory.CreateDirectory(Path.Combine(folder, "last.ckpt"));
            RunFiles.WriteMarker(folder, new RunFiles.Marker(queued.Id, await db.Runs.Where(r => r.Id == queued.Id).Select(r => r.Uid).SingleAsync()));
        }
        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsync($"/api/runs/{blocker.Id}/cancel", null)).StatusCode);
        var done = await _client.WaitForAsync(queued.Id, RunStatus.Completed, RunStatus.Failed);

        Assert.Equal(RunStatus.Failed, done.Status);
        Assert.Contains("checkpoint could not be written", done.ErrorMessage);
        var epoch = Assert.Single(done.Epochs!);
        Assert.Equal(1, epoch.Epoch);
        Assert.NotNull(epoch.Validation);
        Assert.Empty(done.Checkpoints!);
    }
}
