using System.Net;
using System.Net.Http.Json;
using PalmLab.Web.Api;
using PalmLab.Web.Data;

namespace PalmLab.Tests.Web;

/// <summary>PATCH /api/runs/{id} (name, notes, tags) and GET /api/runs/{id}/checkpoints/{kind}, on SQLite and on PostgreSQL.</summary>
public abstract class RunDetailsApiTests : IDisposable
{
    private readonly PalmLabAppFactory _app;
    private readonly HttpClient _client;

    protected RunDetailsApiTests(DatabaseKind database)
    {
        _app = new PalmLabAppFactory(database: database);
        _client = _app.CreateClient();
    }

    public sealed class Sqlite() : RunDetailsApiTests(DatabaseKind.Sqlite);

    public sealed class Postgres() : RunDetailsApiTests(DatabaseKind.Postgres);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Patch_NameNotesAndTags_SavesThemTrimmedAndKeepsAbsentFields()
    {
        var run = await _client.QueueAsync(new { dataSet = "tiny", preset = "quick", depth = 18, imageSize = 32, batchSize = 4, epochs = 1, notes = "first", tags = "a" });

        var response = await _client.PatchAsJsonAsync($"/api/runs/{run.Id}", new { name = "  Renamed  ", tags = " x, y ,x,, " });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var saved = await _client.GetRunAsync(run.Id);
        Assert.Equal("Renamed", saved.Name);
        Assert.Equal("x,y", saved.Tags);
        Assert.Equal("first", saved.Notes);

        response = await _client.PatchAsJsonAsync($"/api/runs/{run.Id}", new { notes = "", tags = "" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        saved = await _client.GetRunAsync(run.Id);
        Assert.Null(saved.Notes);
        Assert.Null(saved.Tags);
        Assert.Equal("Renamed", saved.Name);
    }

    [Fact]
    public async Task Patch_TooManyTagsAndTooLongNotes_RefusedPerFieldAndNothingSaved()
    {
        var run = await _client.QueueAsync(new { dataSet = "tiny", preset = "quick", depth = 18, imageSize = 32, batchSize = 4, epochs = 1, notes = "keep me" });
        var tags = string.Join(",", Enumerable.Range(1, 21).Select(i => $"t{i}"));

        var response = await _client.PatchAsJsonAsync($"/api/runs/{run.Id}", new { name = " ", notes = new string('n', 20_001), tags });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "PATCH with bad fields");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("at most 20 tags, not 21", body);
        Assert.Contains("at most 20,000 characters, not 20,001", body);
        Assert.Contains("must not be empty", body);
        Assert.NotNull(problem);
        Assert.Equal("keep me", (await _client.GetRunAsync(run.Id)).Notes);
    }

    [Fact]
    public async Task Patch_NameWithANewlineOrTagsWithABidiOverride_RefusedAndNothingSaved()
    {
        var run = await _client.QueueAsync(new { dataSet = "tiny", preset = "quick", depth = 18, imageSize = 32, batchSize = 4, epochs = 1, name = "kept", tags = "a" });

        var response = await _client.PatchAsJsonAsync($"/api/runs/{run.Id}", new { name = "renamed\r\nforged", tags = "b,\u2067c" });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "PATCH with control characters");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("must not hold control characters (found U+000D at position 8)", body);
        Assert.Contains("must not hold bidirectional override characters (found U+2067 at position 3)", body);
        var saved = await _client.GetRunAsync(run.Id);
        Assert.Equal(("kept", "a"), (saved.Name, saved.Tags));
    }

    [Fact]
    public async Task Patch_UnknownRunOrBrokenJson_AnswersProblems()
    {
        var missing = await _client.PatchAsJsonAsync("/api/runs/999", new { notes = "x" });
        Assert.Contains("Run 999 does not exist", (await missing.AssertProblemAsync(HttpStatusCode.NotFound, "PATCH unknown run")).Detail);

        var run = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 1));
        var broken = await _client.PatchAsync($"/api/runs/{run.Id}", new StringContent("{\"notes\": ", System.Text.Encoding.UTF8, "application/json"));
        await broken.AssertProblemAsync(HttpStatusCode.BadRequest, "PATCH broken JSON");
        var wrongType = await _client.PatchAsync($"/api/runs/{run.Id}", new StringContent("{\"tags\": [1, 2]}", System.Text.Encoding.UTF8, "application/json"));
        await wrongType.AssertProblemAsync(HttpStatusCode.BadRequest, "PATCH tags as an array");
        Assert.Contains("\"tags\"", await wrongType.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task DownloadCheckpoint_CompletedRun_StreamsTheFileUnderASafeName()
    {
        var run = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 1));
        await _client.WaitForAsync(run.Id, RunStatus.Completed);
        var onDisk = await File.ReadAllBytesAsync(Path.Combine(_app.CheckpointsDir, $"run-{run.Id}", "best.ckpt"));

        var response = await _client.GetAsync($"/api/runs/{run.Id}/checkpoints/best");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"run-{run.Id}-best.ckpt", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal(onDisk, await response.Content.ReadAsByteArrayAsync());
        var last = await _client.GetAsync($"/api/runs/{run.Id}/checkpoints/LAST");
        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
    }

    [Fact]
    public async Task BatchLosses_After_OnlyTheLaterSteps()
    {
        var run = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 1));
        await _client.WaitForAsync(run.Id, RunStatus.Completed);

        var points = await _client.GetFromJsonAsync<List<PalmLab.Web.Runs.BatchPoint>>($"/api/runs/{run.Id}/batch-losses?after=2", ApiClient.Json);

        Assert.Equal([3L, 4L], points!.Select(p => p.Step));
    }

    [Fact]
    public async Task DownloadCheckpoint_MissingOrBadKind_AnswersProblems()
    {
        var unknownRun = await _client.GetAsync("/api/runs/999/checkpoints/best");
        await unknownRun.AssertProblemAsync(HttpStatusCode.NotFound, "checkpoint of an unknown run");

        // Cancelled while queued behind a long run: it never trained, so it has no checkpoint.
        var blocker = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 50));
        var run = await _client.QueueAsync(PalmLabAppFactory.TinyRun(epochs: 1));
        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsync($"/api/runs/{run.Id}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsync($"/api/runs/{blocker.Id}/cancel", null)).StatusCode);
        Assert.Empty((await _client.GetRunAsync(run.Id)).Checkpoints!);

        var missing = await _client.GetAsync($"/api/runs/{run.Id}/checkpoints/best");
        Assert.Contains("has no best checkpoint", (await missing.AssertProblemAsync(HttpStatusCode.NotFound, "missing checkpoint")).Detail);

        foreach (var kind in new[] { "worst", "0", "1", "..%2F..%2Fpalmlab.db" })
        {
            var bad = await _client.GetAsync($"/api/runs/{run.Id}/checkpoints/{kind}");
            Assert.Contains("use 'best' or 'last'", (await bad.AssertProblemAsync(HttpStatusCode.BadRequest, $"kind {kind}")).Detail);
        }
    }
}
