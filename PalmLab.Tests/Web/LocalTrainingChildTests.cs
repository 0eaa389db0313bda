using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PalmLab.Tests.Support;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Tests.Web;

/// <summary>A local run trains in a child `palmlab job`: what its death, a cancel and a graceful shutdown do.</summary>
public sealed class LocalTrainingChildTests : IDisposable
{
    private readonly PalmLabAppFactory _app = new();
    private readonly HttpClient _client;
    private readonly List<int> _children = [];

    public LocalTrainingChildTests() => _client = _app.CreateClient();

    public void Dispose()
    {
        foreach (var pid in _children)
        {
            TrainingChild.Kill(pid);
        }
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task ChildKilledMidEpoch_RunEndsInterruptedWithItsOutput_DashboardTrainsTheNextRun()
    {
        var run = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 500));
        await WaitForStepsAsync(run.Id, 2);
        var pid = ChildOf(run.Id);

        TrainingChild.Kill(pid);
        var ended = await _client.WaitForAsync(run.Id, RunStatus.Interrupted, RunStatus.Failed, RunStatus.Completed, RunStatus.Cancelled);

        Assert.True(ended.Status == RunStatus.Interrupted, $"{ended.Status}: {ended.ErrorMessage}");
        Assert.Contains($"Its training process {pid} was killed (signal 9)", ended.ErrorMessage);
        Assert.Contains("resume the run", ended.ErrorMessage);
        // The end of the child's output, where a crash's cause would be.
        Assert.Contains("output.log ends:", ended.ErrorMessage);
        Assert.Contains($"run {run.Id}: training on cpu", ended.ErrorMessage);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/health")).StatusCode);
        var next = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 1));
        var done = await _client.WaitForAsync(next.Id, RunStatus.Completed, RunStatus.Failed, RunStatus.Interrupted);
        Assert.True(done.Status == RunStatus.Completed, $"{done.Status}: {done.ErrorMessage}\n{TrainingChild.Output(_app.CheckpointsDir, next.Id)}");
    }

    [Fact]
    public async Task Cancel_RunningRun_EndsCancelledAndItsChildExits()
    {
        var run = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 500));
        await WaitForStepsAsync(run.Id, 2);
        var pid = ChildOf(run.Id);

        var cancel = await _client.PostAsync($"/api/runs/{run.Id}/cancel", null);

        Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        var ended = await _client.WaitForAsync(run.Id, RunStatus.Cancelled, RunStatus.Interrupted, RunStatus.Failed, RunStatus.Completed);
        Assert.True(ended.Status == RunStatus.Cancelled, $"{ended.Status}: {ended.ErrorMessage}");
        await Wait.UntilAsync(() => !TrainingChild.IsAlive(pid), $"training process {pid} still runs after its run was cancelled");
    }

    [Fact]
    public async Task GracefulShutdown_StopsTheChildAndLeavesItsRunInterrupted()
    {
        var run = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 500));
        await WaitForStepsAsync(run.Id, 2);
        var pid = ChildOf(run.Id);

        await _app.Services.GetRequiredService<IHost>().StopAsync();

        Assert.False(TrainingChild.IsAlive(pid), $"training process {pid} outlived the dashboard's graceful stop:\n{TrainingChild.Output(_app.CheckpointsDir, run.Id)}");
        // The stopped host may have disposed its services already: read the database on its own.
        var provider = DatabaseProvider.Choose(null, _app.DatabasePath);
        await using var db = new PalmLabDbContextFactory(provider.Options(), provider).CreateDbContext();
        var stopped = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == run.Id);
        Assert.Equal(RunStatus.Interrupted, stopped.Status);
        Assert.Contains("resume it", stopped.ErrorMessage);
    }

    private int ChildOf(int runId)
    {
        var pid = TrainingChild.Pid(_app.CheckpointsDir, runId);
        _children.Add(pid);
        Assert.True(TrainingChild.IsAlive(pid), $"run {runId}'s training process {pid} is not running");
        return pid;
    }

    private Task WaitForStepsAsync(int runId, int steps) => Wait.UntilAsync(async () =>
        (await _client.GetFromJsonAsync<List<BatchPoint>>($"/api/runs/{runId}/batch-losses", ApiClient.Json))!.Count >= steps,
        $"run {runId} recorded fewer than {steps} batches", TimeSpan.FromSeconds(120));
}
