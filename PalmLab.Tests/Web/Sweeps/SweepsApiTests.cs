using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PalmLab.Tests.Support;
using PalmLab.Web.Api;
using PalmLab.Web.Data;
using PalmLab.Web.Sweeps;

namespace PalmLab.Tests.Web.Sweeps;

public abstract class SweepsApiTests : IDisposable
{
    private readonly PalmLabAppFactory _app;
    private readonly HttpClient _client;

    protected SweepsApiTests(DatabaseKind database)
    {
        _app = new PalmLabAppFactory(database: database);
        // A second data set with a class of two images, for folds the smallest class cannot fill.
        TestImages.WriteTrainingFolder(Path.Combine(_app.DataSetsDir, "small", "PALM-Training400"), normal: 3, high: 0, pathologic: 2, size: 40);
        _client = _app.CreateClient();
    }

    public sealed class Sqlite() : SweepsApiTests(DatabaseKind.Sqlite);

    public sealed class Postgres() : SweepsApiTests(DatabaseKind.Postgres);

    public void Dispose() => _app.Dispose();

    /// <summary>A sweep on "tiny" with ResNet-18 at 32 px, batch 4.</summary>
    public static object TinySweep(object space, int epochs = 1, object? medianStopping = null, string? name = null) => new
    {
        dataSet = "tiny",
        name,
        preset = "quick",
        overrides = new { depth = 18, imageSize = 32, batchSize = 4, epochs },
        space,
        medianStopping = medianStopping ?? false,
    };

    [Fact]
    public async Task PostSweep_TinyGrid_QueuesEachTrialAsARunCompletesAndItsBestBecomesAPresetARunCanUse()
    {
        var response = await _client.PostAsJsonAsync("/api/sweeps", TinySweep(new { learningRate = new[] { 0.02, 0.005, 0.001 } }));

        var created = await ReadAsync<SweepView>(response, HttpStatusCode.Created);
        Assert.Equal($"/api/sweeps/{created.Id}", response.Headers.Location!.OriginalString);
        Assert.Equal(3, created.TrialCount);
        Assert.Equal([$"sweep {created.Id} · trial 1", $"sweep {created.Id} · trial 2", $"sweep {created.Id} · trial 3"], created.Trials.Select(t => t.Name));
        var sweep = await WaitForSweepAsync(created.Id, SweepStatus.Completed);
        Assert.All(sweep.Trials, t => Assert.Equal(RunStatus.Completed, t.Status));
        Assert.Equal([0.02, 0.005, 0.001], sweep.Trials.Select(t => ((JsonElement)t.Swept["learningRate"]!).GetDouble()));
        Assert.All(sweep.Trials, t => Assert.Equal(1, t.Epochs));
        Assert.NotNull(sweep.FinishedAt);
        var best = Assert.Single(sweep.Trials, t => t.IsBest);
        Assert.Equal(sweep.Trials.Where(t => t.Metric is not null).Max(t => t.Metric), best.Metric);
        var run = await _client.GetRunAsync(best.RunId);
        Assert.Equal(created.Id, (await _client.GetFromJsonAsync<List<SweepView>>("/api/sweeps", ApiClient.Json))!.Single().Id);

        var saved = await ReadAsync<SavedPresetDto>(await _client.PostAsJsonAsync($"/api/sweeps/{created.Id}/preset", new { name = "tiny-best" }), HttpStatusCode.Created);
        var again = await _client.PostAsJsonAsync($"/api/sweeps/{created.Id}/preset", new { name = "tiny-best" });
        var fromPreset = await _client.QueueAsync(new { dataSet = "tiny", preset = "tiny-best", epochs = 1 });

        Assert.Equal(run.Options, saved.Options);
        Assert.Equal(best.RunId, saved.FromRunId);
        Assert.Contains("exists already", (await again.Content.ReadAsStringAsync()));
        Assert.Equal(run.Options with { Epochs = 1 }, fromPreset.Options);
        Assert.Equal(RunStatus.Completed, (await _client.WaitForAsync(fromPreset.Id, RunStatus.Completed, RunStatus.Failed)).Status);
    }

    [Fact]
    public async Task PostSweep_NameWithANewline_RefusedAndQueuesNothing()
    {
        var errors = await ErrorsAsync(TinySweep(new { seed = new[] { 1, 2 } }, name: "lr sweep\nforged line"));

        Assert.Equal("must not hold control characters (found U+000A at position 9): keep it on one line", errors["name"][0]);
        Assert.Empty((await _client.GetFromJsonAsync<List<SweepView>>("/api/sweeps", ApiClient.Json))!);
    }

    [Fact]
    public async Task PostSweep_BadSpaces_RefusedWithAMessageNamingEachOptionAndQueueNothing()
    {
        var unknownAndEmpty = await ErrorsAsync(TinySweep(new { learningRat = new[] { 0.1 }, depth = Array.Empty<int>() }));
        var minAboveMax = await ErrorsAsync(TinySweep(new { learningRate = new { min = 0.1, max = 0.01, count = 3 } }));
        var hugeGrid = await ErrorsAsync(TinySweep(new
        {
            learningRate = new { min = 0.001, max = 0.1, scale = "log", count = 20 },
            momentum = new { min = 0.5, max = 0.99, count = 20 },
            weightDecay = new[] { 0, 0.0001, 0.001 },
        }));
        var folds = await ErrorsAsync(new { dataSet = "small", preset = "quick", overrides = new { batchSize = 2 }, space = new { folds = new[] { 2, 3 } } });
        var settings = await ErrorsAsync(new { dataSet = "tiny", space = new { depth = new[] { 18 } }, strategy = "bayes", metric = "f2", trials = 0 });

        Assert.Contains("is not an option", unknownAndEmpty["space.learningRat"][0]);
        Assert.Contains("is an empty list", unknownAndEmpty["space.depth"][0]);
        Assert.Contains("range min 0.1 is above max 0.01", minAboveMax["space.learningRate"][0]);
        Assert.Contains("the grid has 1,200 trials", hugeGrid["space"][0]);
        Assert.Contains("more than 1,000", hugeGrid["space"][0]);
        Assert.Contains("3 folds need at least 3 images of each class, but 'small' has 2 pathologic training images", folds["space.folds"][0]);
        Assert.Contains("must be grid or random, not 'bayes'", settings["strategy"][0]);
        Assert.Contains("must be auc or accuracy, not 'f2'", settings["metric"][0]);
        Assert.Empty((await _client.GetFromJsonAsync<List<SweepView>>("/api/sweeps", ApiClient.Json))!);
        Assert.Empty((await _client.GetFromJsonAsync<List<RunDto>>("/api/runs", ApiClient.Json))!);
    }

    [Fact]
    public async Task CancelSweep_AfterTheFirstTrialFinished_KeepsItAndCancelsTheOthers()
    {
        // One short trial, then two long ones: the cancel comes while a long one is queued or training.
        var created = await ReadAsync<SweepView>(await _client.PostAsJsonAsync("/api/sweeps", TinySweep(new { epochs = new[] { 1, 200, 201 } })), HttpStatusCode.Created);
        var first = created.Trials[0].RunId;
        await _client.WaitForAsync(first, RunStatus.Completed);

        var cancel = await _client.PostAsync($"/api/sweeps/{created.Id}/cancel", null);
        var sweep = await WaitForSweepAsync(created.Id, SweepStatus.Cancelled, untilTrialsEnd: true);
        var twice = await _client.PostAsync($"/api/sweeps/{created.Id}/cancel", null);
        var missing = await _client.PostAsync("/api/sweeps/999/cancel", null);

        Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        Assert.Equal([RunStatus.Completed, RunStatus.Cancelled, RunStatus.Cancelled], sweep.Trials.Select(t => t.Status));
        Assert.Single((await _client.GetRunAsync(first)).Epochs!);
        Assert.Contains("is Cancelled, not running", (await twice.AssertProblemAsync(HttpStatusCode.Conflict, "cancel twice")).Detail);
        Assert.Contains("Sweep 999 does not exist", (await missing.AssertProblemAsync(HttpStatusCode.NotFound, "unknown sweep")).Detail);
    }

    [Fact]
    public async Task SavePreset_BadNamesAndUnknownSweep_AreRefusedWithTheReason()
    {
        var builtIn = await _client.PostAsJsonAsync("/api/sweeps/1/preset", new { name = "quick" });
        var created = await ReadAsync<SweepView>(await _client.PostAsJsonAsync("/api/sweeps", TinySweep(new { epochs = new[] { 200 } })), HttpStatusCode.Created);

        var badName = await _client.PostAsJsonAsync($"/api/sweeps/{created.Id}/preset", new { name = "my preset!" });
        var reserved = await _client.PostAsJsonAsync($"/api/sweeps/{created.Id}/preset", new { name = "quick" });
        var noBest = await _client.PostAsJsonAsync($"/api/sweeps/{created.Id}/preset", new { name = "early" });
        await _client.PostAsync($"/api/sweeps/{created.Id}/cancel", null);

        await builtIn.AssertProblemAsync(HttpStatusCode.NotFound, "unknown sweep");
        Assert.Contains("may hold only letters, digits", await badName.Content.ReadAsStringAsync());
        Assert.Contains("is a built-in preset", await reserved.Content.ReadAsStringAsync());
        Assert.Contains("has no completed trial", (await noBest.AssertProblemAsync(HttpStatusCode.Conflict, "no best trial yet")).Detail);
    }

    private async Task<Dictionary<string, string[]>> ErrorsAsync(object request)
    {
        var response = await _client.PostAsJsonAsync("/api/sweeps", request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {body}");
        using var problem = JsonDocument.Parse(body);
        return problem.RootElement.GetProperty("errors").Deserialize<Dictionary<string, string[]>>()!;
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, ApiClient.Json)!;
    }

    private async Task<SweepView> WaitForSweepAsync(int id, SweepStatus status, bool untilTrialsEnd = false)
    {
        SweepView? sweep = null;
        await Wait.UntilAsync(async () =>
        {
            sweep = await _client.GetFromJsonAsync<SweepView>($"/api/sweeps/{id}", ApiClient.Json);
            return sweep!.Status == status && (!untilTrialsEnd || sweep.Trials.All(t => t.HasEnded));
        }, $"sweep {id} did not become {status} (it is {sweep?.Status}, trials {string.Join(", ", sweep?.Trials.Select(t => t.Status.ToString()) ?? [])})", TimeSpan.FromSeconds(180));
        return sweep!;
    }
}
