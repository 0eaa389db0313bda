using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Tests.Web;

public class HealthTests : IDisposable
{
    private readonly PalmLabAppFactory _app = new();
    private readonly HttpClient _client;

    public HealthTests() => _client = _app.CreateClient();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task GetHealth_RunningApp_AnswersHealthyWithDatabaseAndWorkerChecks()
    {
        var (status, root) = await GetHealthAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", root.GetProperty("status").GetString());
        var checks = root.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
        var worker = checks.GetProperty("worker");
        Assert.Equal("Healthy", worker.GetProperty("status").GetString());
        Assert.Equal(0, worker.GetProperty("data").GetProperty("activeRuns").GetInt32());
    }

    [Fact]
    public async Task GetHealth_WhileARunTrains_CountsItAsActive()
    {
        var run = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 50));
        await _client.WaitForAsync(run.Id, RunStatus.Running);

        var (status, root) = await GetHealthAsync();
        await _client.PostAsync($"/api/runs/{run.Id}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, root.GetProperty("checks").GetProperty("worker").GetProperty("data").GetProperty("activeRuns").GetInt32());
    }

    [Fact]
    public async Task GetHealth_WorkerStopped_Answers503WithTheWorkerUnhealthy()
    {
        _app.Services.GetRequiredService<WorkerHeartbeat>().Stop(null);

        var (status, root) = await GetHealthAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", root.GetProperty("status").GetString());
        Assert.Equal("Unhealthy", root.GetProperty("checks").GetProperty("worker").GetProperty("status").GetString());
        Assert.Equal("Healthy", root.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }

    [Fact]
    public async Task GetHealth_DatabaseFileDeletedUnderTheRunningApp_Answers503WithoutThePath()
    {
        var (before, _) = await GetHealthAsync();
        Assert.Equal(HttpStatusCode.OK, before);

        // SQLite keeps answering from the open, deleted file: only its identity on disk tells.
        File.Delete(_app.DatabasePath);

        var (status, root) = await GetHealthAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var database = root.GetProperty("checks").GetProperty("database");
        Assert.Equal("Unhealthy", database.GetProperty("status").GetString());
        var description = database.GetProperty("description").GetString()!;
        Assert.Contains("deleted or replaced", description);
        Assert.DoesNotContain(Path.GetDirectoryName(_app.DatabasePath)!, description);
    }

    [Fact]
    public async Task GetHealth_DatabaseFileReplacedByAnotherFile_Answers503()
    {
        var copy = _app.DatabasePath + ".copy";
        File.Copy(_app.DatabasePath, copy);
        File.Move(copy, _app.DatabasePath, overwrite: true);

        var (status, root) = await GetHealthAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", root.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }

    private async Task<(HttpStatusCode Status, JsonElement Root)> GetHealthAsync()
    {
        var response = await _client.GetAsync("/health");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.Clone());
    }
}
