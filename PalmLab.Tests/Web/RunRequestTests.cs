using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PalmLab.Engine.Training;
using PalmLab.Web.Data;

namespace PalmLab.Tests.Web;

/// <summary>What POST /api/runs answers to bad bodies: a problem naming the field, never a stack trace.</summary>
public class RunRequestTests : IDisposable
{
    private readonly PalmLabAppFactory _app = new();
    private readonly HttpClient _client;

    public RunRequestTests() => _client = _app.CreateClient();

    public void Dispose() => _app.Dispose();

    [Theory]
    [InlineData("{bad", "body", "is not valid JSON: line 1, position 2")]
    [InlineData("", "body", "the request has no body")]
    [InlineData("[1, 2]", "body", "must be a JSON object, not array")]
    [InlineData("""{"dataSet": "tiny", "epochs": 100000}""", "epochs", "must be from 1 to 1,000, not 100000")]
    [InlineData("""{"dataSet": "tiny", "epochs": 2147483647}""", "epochs", "must be from 1 to 1,000, not 2147483647")]
    [InlineData("""{"dataSet": "tiny", "epochs": "ten"}""", "epochs", "must be a whole number, not the text 'ten'")]
    [InlineData("""{"dataSet": "tiny", "schedule": "cosmic"}""", "schedule", "must be one of constant, polynomial, cosine, step, not 'cosmic'")]
    [InlineData("""{"dataSet": "tiny", "learningRate": 50}""", "learningRate", "must be above 0 and at most 10, not 50")]
    [InlineData("""{"dataSet": "tiny", "seed": -1}""", "seed", "must be 0 or more, not -1")]
    [InlineData("""{"dataSet": "tiny", "warmupSteps": 100001}""", "warmupSteps", "must be from 0 to 100,000, not 100001")]
    [InlineData("""{"dataSet": "tiny", "preset": "fastest"}""", "preset", "'fastest' is not one of reference, quick, best, deeper, pretrained")]
    [InlineData("""{"dataSet": "nowhere"}""", "dataSet", "no data set nowhere")]
    [InlineData("""{"dataSet": "tiny", "epochz": 3}""", "epochz", "is not an option")]
    [InlineData("""{"dataSet": "tiny", "name": 5}""", "name", "has the wrong type")]
    public async Task PostRun_BadBody_Answers400ProblemNamingTheField(string body, string field, string message)
    {
        var response = await _client.PostAsync("/api/runs", new StringContent(body, Encoding.UTF8, "application/json"));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        var errors = problem.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var list), $"no error for '{field}' in {text}");
        Assert.Contains(message, list[0].GetString());
        Assert.DoesNotContain("   at ", text);
        Assert.Empty(await _client.GetFromJsonAsync<List<object>>("/api/runs", ApiClient.Json) ?? []);
    }

    [Fact]
    public async Task PostRun_LongNameNotesAndTooManyTags_AreRefusedPerField()
    {
        var tags = string.Join(",", Enumerable.Range(1, 21).Select(i => $"t{i}")) + "," + new string('x', 51);

        var response = await _client.PostAsJsonAsync("/api/runs", new { dataSet = "tiny", name = new string('n', 201), notes = new string('n', 20_001), tags });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = problem.RootElement.GetProperty("errors");
        Assert.Equal("at most 200 characters, not 201", errors.GetProperty("name")[0].GetString());
        Assert.Equal("at most 20,000 characters, not 20,001", errors.GetProperty("notes")[0].GetString());
        Assert.Equal(["at most 20 tags, not 22", "'xxxxxxxxxxxxxxxxxxxx…' is longer than 50 characters"], errors.GetProperty("tags").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task PostRun_ControlOrBidiCharactersInNameNotesOrTags_AreRefusedPerField()
    {
        var response = await _client.PostAsJsonAsync("/api/runs",
            new { dataSet = "tiny", name = "baseline\n2026-12-06 info: Run 9 deleted", notes = "fine\nbut\0", tags = "a,\u202Etxt.exe" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = problem.RootElement.GetProperty("errors");
        Assert.Equal("must not hold control characters (found U+000A at position 9): keep it on one line", errors.GetProperty("name")[0].GetString());
        Assert.Equal("must not hold control characters (found U+0000 at position 9)", errors.GetProperty("notes")[0].GetString());
        Assert.Equal("must not hold bidirectional override characters (found U+202E at position 3)", errors.GetProperty("tags")[0].GetString());
        Assert.Empty(await _client.GetFromJsonAsync<List<object>>("/api/runs", ApiClient.Json) ?? []);
    }

    [Fact]
    public async Task PostRun_NotesWithNewlinesAndTabs_AreKept()
    {
        var run = await _client.QueueAsync(new { dataSet = "tiny", preset = "quick", imageSize = 32, batchSize = 4, epochs = 1, notes = "first\r\n\tsecond" });

        Assert.Equal("first\r\n\tsecond", (await _client.GetRunAsync(run.Id)).Notes);
    }

    [Fact]
    public async Task PostRun_HugeBody_Answers413Problem()
    {
        var body = $$"""{"dataSet": "tiny", "notes": "{{new string('n', 300_000)}}"}""";

        var response = await _client.PostAsync("/api/runs", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("larger than the 262,144 bytes", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PostRun_PresetAndOverrides_StoresTheOptionsNestedInTheRun()
    {
        var run = await _client.QueueAsync(new { dataSet = "tiny", preset = "quick", imageSize = 32, batchSize = 4, epochs = 1, schedule = "step", tags = " a, b ,a,," });

        Assert.Equal(TrainingPresets.Quick with { ImageSize = 32, BatchSize = 4, Epochs = 1, Schedule = LrScheduleKind.Step, Holdout = 0.2 }, run.Options);
        Assert.Equal("a,b", run.Tags);
        Assert.Equal("tiny", run.DataSet);
        using var json = JsonDocument.Parse(await _client.GetStringAsync($"/api/runs/{run.Id}"));
        Assert.Equal(32, json.RootElement.GetProperty("options").GetProperty("imageSize").GetInt32());
        Assert.Equal("Step", json.RootElement.GetProperty("options").GetProperty("schedule").GetString());
        await _client.WaitForAsync(run.Id, RunStatus.Completed, RunStatus.Failed);
    }
}
