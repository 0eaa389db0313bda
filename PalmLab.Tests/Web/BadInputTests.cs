using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalmLab.Web.Data;

namespace PalmLab.Tests.Web;

/// <summary>
/// Malformed input on the real app: a page ignores or explains a bad query value (never 500); the API answers 400
/// problem details naming the parameter or field and its rule. One app for each test: the cases loop inside.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly PalmLabAppFactory _app = new();
    private readonly HttpClient _client;

    public BadInputTests()
    {
        _client = _app.CreateClient();
        _client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
    }

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task GetPage_MalformedQueryValues_Answers200()
    {
        var run = await AddRunAsync();
        string[] addresses =
        [
            "/?desc=1", "/?depth=abc", "/?page=abc", "/?page=99999999999", "/?status=Bogus&sort=abc&desc=maybe&page=-1",
            "/predict?threshold=abc", "/predict?threshold=abc&checkpoint=abc&tta=abc",
            "/runs/new?from=abc", "/runs/new?from=99999999999", "/sweeps/new?from=abc", "/sweeps/new?from=-1&preset=abc",
            $"/runs/{run}?epoch=abc&fold=abc", $"/runs/{run}?epoch=99999999999", "/compare?runs=abc", "/datasets?add=abc",
        ];

        foreach (var address in addresses)
        {
            var response = await _client.GetAsync(address);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {address}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task GetNewRunOrNewSweep_FromIsNotARunId_ThePageSaysSo()
    {
        var newRun = await _client.GetStringAsync("/runs/new?from=abc");
        var newSweep = await _client.GetStringAsync("/sweeps/new?from=abc");

        Assert.Contains("?from=abc is not a run id (a whole number, as in ?from=3), so the form starts from the reference recipe.", newRun);
        Assert.Contains("?from=abc is not a run id (a whole number, as in ?from=3), so the sweep starts from the reference recipe.", newSweep);
    }

    [Fact]
    public async Task GetApi_MalformedQueryValues_Answer400NamingTheParameterAndTheRule()
    {
        var run = await AddRunAsync();
        var statuses = string.Join(", ", Enum.GetNames<RunStatus>());
        (string Address, string Detail)[] cases =
        [
            ("/api/runs?status=Bogus", $"status must be one of {statuses}; got 'Bogus'."),
            ("/api/runs?status=1", $"status must be one of {statuses}; got '1'."),
            ("/api/runs?limit=abc", "limit must be a whole number from 1 to 1000 (leave it out for 100); got 'abc'."),
            ("/api/runs?limit=1e3", "limit must be a whole number from 1 to 1000 (leave it out for 100); got '1e3'."),
            ("/api/runs?offset=-1", "offset must be a whole number, 0 or more (the number of runs to skip); got '-1'."),
            ("/api/runs?dataSetId=demo", "dataSetId must be a whole number; got 'demo'."),
            ($"/api/runs/{run}/epochs?fold=abc", "fold must be a whole number; got 'abc'."),
            ($"/api/runs/{run}/checkpoints/best?fold=abc", "fold must be a whole number; got 'abc'."),
            ($"/api/runs/{run}/batch-losses?points=abc&after=x",
                "points must be a whole number, 0 or more (about how many to keep; 0 or none keeps every batch); got 'abc'. after must be a whole number (a step); got 'x'."),
            ($"/api/runs/{run}/batch-losses.csv?points=-5", "points must be a whole number, 0 or more (about how many to keep; 0 or none keeps every batch); got '-5'."),
        ];

        foreach (var (address, detail) in cases)
        {
            var problem = await (await _client.GetAsync(address)).AssertProblemAsync(HttpStatusCode.BadRequest, address);
            Assert.Equal(detail, problem.Detail);
        }
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/api/runs?status=completed&limit=5&offset=0&dataSetId=1")).StatusCode);
    }

    [Fact]
    public async Task PostOrPatchJson_DuplicateKeysUnknownFieldsAndNumbersThatAreNotWhole_Answer400NamingTheField()
    {
        var run = await AddRunAsync();
        (HttpMethod Method, string Path, string Body, string Field, string Message)[] cases =
        [
            (HttpMethod.Post, "/api/runs", """{"dataSet": "tiny", "epochs": 2, "epochs": 3}""", "epochs", "is given twice: give each key once"),
            (HttpMethod.Post, "/api/runs", """{"dataSet": "tiny", "name": "a", "Name": "b"}""", "Name", "is given twice (as 'name' and 'Name'): give each key once"),
            (HttpMethod.Post, "/api/runs", """{"dataSet": "tiny", "slurm": {"gpus": 1, "gpus": 2}}""", "slurm.gpus", "is given twice: give each key once"),
            (HttpMethod.Post, "/api/runs", """{"dataSet": "tiny", "slurm": {"gpu": 1}}""", "slurm.gpu",
                "is not a field of this request (the fields of slurm are partition, gpus, cpus, memory, timeLimit)"),
            (HttpMethod.Post, "/api/runs", """{"dataSet": "tiny", "epochs": 2.5}""", "epochs", "must be a whole number, not 2.5"),
            (HttpMethod.Post, "/api/runs", """{"dataSet": "tiny", "epochs": 1e9}""", "epochs", "must be from 1 to 1,000, not 1000000000"),
            (HttpMethod.Post, "/api/runs", """{"dataSet": "tiny", "epochs": 1e20}""", "epochs", "is out of range for a whole number (-2,147,483,648 to 2,147,483,647), not 1e20"),
            (HttpMethod.Post, "/api/runs", """{"dataSetId": 1.5}""", "dataSetId", "must be a whole number, not 1.5"),
            (new HttpMethod("PATCH"), $"/api/runs/{run}", """{"nmae": "renamed"}""", "nmae", "is not a field of this request (the fields are name, notes, tags)"),
            (new HttpMethod("PATCH"), $"/api/runs/{run}", """{"notes": "a", "notes": "b"}""", "notes", "is given twice: give each key once"),
            (HttpMethod.Post, "/api/sweeps", """{"dataSet": "tiny", "space": {"depth": [18]}, "strategi": "random"}""", "strategi", "is not a field of this request"),
            (HttpMethod.Post, "/api/sweeps", """{"dataSet": "tiny", "space": {"depth": [18], "depth": [34]}}""", "space.depth", "is given twice: give each key once"),
            (HttpMethod.Post, "/api/sweeps", """{"dataSet": "tiny", "space": {"depth": [18]}, "trials": 2.5}""", "trials", "must be a whole number, not 2.5"),
            (HttpMethod.Post, "/api/sweeps/1/preset", """{"name": "mine", "nam": "mine"}""", "nam", "is not a field of this request (the fields are name)"),
        ];

        foreach (var (method, path, body, field, message) in cases)
        {
            var response = await _client.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
            var what = $"{method} {path} {body}";
            var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, what);
            var errors = await ErrorsAsync(response);
            Assert.True(errors.TryGetValue(field, out var messages), $"{what}: no error for '{field}' in {string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value[0]}"))}");
            Assert.StartsWith(message, messages[0]);
            // The detail says it too, whether the reader (JsonBody) or the options' own rules refused it.
            Assert.Equal($"{field} {messages[0]}.", problem.Detail);
        }
        await using var db = await Db().CreateDbContextAsync();
        Assert.Equal(1, await db.Runs.CountAsync());
        Assert.Equal("seeded", (await db.Runs.SingleAsync()).Name);
    }

    [Fact]
    public async Task PostJson_IntegralNumbersWithAFractionPartOrExponent_AreWholeNumbers()
    {
        // Refused for its data set only: 2.0 and 4e0 are read as 2 and 4 (JSON has one number type).
        (string Path, string Body)[] cases =
        [
            ("/api/runs", """{"dataSet": "nowhere", "epochs": 2.0, "batchSize": 4e0}"""),
            ("/api/runs", """{"dataSetId": 99.0, "epochs": 2.0}"""),
            ("/api/sweeps", """{"dataSet": "nowhere", "space": {"depth": [18.0, 34], "epochs": {"min": 1, "max": 3.0, "count": 2.0}}, "trials": 2.0, "budget": 4e0}"""),
        ];

        foreach (var (path, body) in cases)
        {
            var response = await _client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
            await response.AssertProblemAsync(HttpStatusCode.BadRequest, path);
            var errors = await ErrorsAsync(response);
            Assert.True(errors.Keys.All(k => k is "dataSet" or "dataSetId"), $"{path}: {string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value[0]}"))}");
        }
    }

    private async Task<int> AddRunAsync()
    {
        await using var db = await Db().CreateDbContextAsync();
        if (await db.Runs.SingleOrDefaultAsync() is { } existing)
        {
            return existing.Id;
        }
        var run = RunListSeed.NewRun(await db.DataSets.SingleAsync(d => d.Name == "tiny"), "seeded", 1);
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }

    private IDbContextFactory<PalmLabDbContext> Db() => _app.Services.GetRequiredService<IDbContextFactory<PalmLabDbContext>>();

    private static async Task<Dictionary<string, string[]>> ErrorsAsync(HttpResponseMessage response)
    {
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return problem.RootElement.TryGetProperty("errors", out var errors)
            ? errors.EnumerateObject().ToDictionary(e => e.Name, e => e.Value.EnumerateArray().Select(m => m.GetString()!).ToArray())
            : [];
    }
}
