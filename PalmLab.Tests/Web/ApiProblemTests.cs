using System.Net;
using System.Text;
using PalmLab.Web.Data;

namespace PalmLab.Tests.Web;

public abstract class ApiProblemTests : IDisposable
{
    private readonly PalmLabAppFactory _app;
    private readonly HttpClient _client;

    protected ApiProblemTests(DatabaseKind database)
    {
        _app = new PalmLabAppFactory(database: database);
        _client = _app.CreateClient();
    }

    public sealed class Sqlite() : ApiProblemTests(DatabaseKind.Sqlite);

    public sealed class Postgres() : ApiProblemTests(DatabaseKind.Postgres);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task EveryRunAction_UnknownRunId_Answers404ProblemJson()
    {
        (HttpMethod Method, string Path)[] actions =
        [
            (HttpMethod.Get, "/api/runs/9999"),
            (HttpMethod.Post, "/api/runs/9999/cancel"),
            (HttpMethod.Post, "/api/runs/9999/resume"),
            (HttpMethod.Post, "/api/runs/9999/clone"),
            (HttpMethod.Delete, "/api/runs/9999"),
            (HttpMethod.Get, "/api/runs/9999/batch-losses"),
            (HttpMethod.Get, "/api/runs/9999/batch-losses.csv"),
            (HttpMethod.Get, "/api/runs/9999/epochs"),
            (HttpMethod.Get, "/api/runs/9999/epochs.csv"),
        ];

        foreach (var (method, path) in actions)
        {
            using var response = await _client.SendAsync(new HttpRequestMessage(method, path));
            await response.AssertProblemAsync(HttpStatusCode.NotFound, $"{method} {path}");
        }
        var problem = await (await _client.GetAsync("/api/runs/9999")).AssertProblemAsync(HttpStatusCode.NotFound, "GET");
        Assert.Equal("Run 9999 does not exist.", problem.Detail);
    }

    [Fact]
    public async Task RefusedActions_DeleteRunningResumeCompletedCancelCompleted_Answer409ProblemJsonWithTheReason()
    {
        var completed = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 1));
        await _client.WaitForAsync(completed.Id, RunStatus.Completed);
        var running = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 50));
        await _client.WaitForAsync(running.Id, RunStatus.Running);

        var delete = await (await _client.DeleteAsync($"/api/runs/{running.Id}")).AssertProblemAsync(HttpStatusCode.Conflict, "delete running");
        var resume = await (await _client.PostAsync($"/api/runs/{completed.Id}/resume", null)).AssertProblemAsync(HttpStatusCode.Conflict, "resume completed");
        var cancel = await (await _client.PostAsync($"/api/runs/{completed.Id}/cancel", null)).AssertProblemAsync(HttpStatusCode.Conflict, "cancel completed");
        await _client.PostAsync($"/api/runs/{running.Id}/cancel", null);

        Assert.Equal($"Run {running.Id} is running; cancel it first.", delete.Detail);
        Assert.Equal($"Run {completed.Id} is Completed; only interrupted, cancelled or failed runs can be resumed.", resume.Detail);
        Assert.Equal($"Run {completed.Id} is Completed, not queued or running.", cancel.Detail);
    }

    [Fact]
    public async Task ListRuns_UnknownStatusInQuery_Answers400ProblemJson()
    {
        var response = await _client.GetAsync("/api/runs?status=Bogus");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "GET /api/runs?status=Bogus");
    }

    [Fact]
    public async Task PostRun_MalformedJson_Answers400ProblemJson()
    {
        var response = await _client.PostAsync("/api/runs", new StringContent("{\"dataSet\": ", Encoding.UTF8, "application/json"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "POST /api/runs with malformed JSON");
    }

    [Fact]
    public async Task UnknownApiPath_Answers404ProblemJson()
    {
        var response = await _client.GetAsync("/api/no-such-thing");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "GET /api/no-such-thing");
    }
}
