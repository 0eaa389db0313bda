using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PalmLab.Engine.Jobs;
using PalmLab.Tests.Support;
using PalmLab.Tests.Web;
using PalmLab.Web.Data;
using PalmLab.Web.Security;

namespace PalmLab.Tests.Slurm;

/// <summary>A job's report endpoints take only the token made for that run: none, or another run's, changes nothing.</summary>
public sealed class JobReportTokenTests : IDisposable
{
    private readonly PalmLabAppFactory _root = new(kestrel: false);
    private readonly LogCapture _logs = new();
    private readonly WebApplicationFactory<Program> _app;

    public JobReportTokenTests() => _app = _root.WithWebHostBuilder(web => web.ConfigureLogging(logging => logging.AddProvider(_logs)));

    public void Dispose()
    {
        _app.Dispose();
        _root.Dispose();
    }

    private static JobReports OneBatch(long seq) => new([new JobReport(seq, Batches: [new JobBatch(null, seq, 1, 0.5, 0.01)])]);

    [Fact]
    public async Task Reports_WithoutATokenOrWithAnotherRunsToken_AreRefusedAndChangeNothing()
    {
        var (first, firstToken) = await AddSlurmRunAsync();
        var (_, secondToken) = await AddSlurmRunAsync();
        var client = _app.CreateClient();

        var none = await client.PostAsJsonAsync($"/api/jobs/{first}/reports", OneBatch(1), JobJson.Options);
        await none.AssertProblemAsync(HttpStatusCode.Unauthorized, "a report without a token");
        var other = await Post(client, first, secondToken, OneBatch(1));
        await other.AssertProblemAsync(HttpStatusCode.Forbidden, "a report with another run's token");
        var wrong = await Post(client, first, "not-a-token", OneBatch(1));
        await wrong.AssertProblemAsync(HttpStatusCode.Forbidden, "a report with a made-up token");
        using (var spec = new HttpRequestMessage(HttpMethod.Get, $"/api/jobs/{first}/spec"))
        {
            spec.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secondToken);
            await (await client.SendAsync(spec)).AssertProblemAsync(HttpStatusCode.Forbidden, "the spec with another run's token");
        }
        Assert.Equal((0, 0L), await StoredAsync(first));

        var own = await Post(client, first, firstToken, OneBatch(1));
        Assert.True(own.IsSuccessStatusCode, await own.Content.ReadAsStringAsync());
        Assert.Equal((1, 1L), await StoredAsync(first));
    }

    [Fact]
    public async Task Reports_WithTheirRunsToken_LogNoApiKeySignInThatWasNotTried()
    {
        var (run, token) = await AddSlurmRunAsync();
        var client = _app.CreateClient();

        var answer = await Post(client, run, token, OneBatch(1));

        Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());
        // A job's token is its run's, not the API key: the key's scheme has nothing to say about it.
        Assert.DoesNotContain(_logs.Entries, e => e.Message.Contains(ApiKeyAuthenticationHandler.SchemeName, StringComparison.Ordinal) || e.Message.Contains("API key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AReportSentAgain_IsAcknowledgedAndNotRecordedTwice()
    {
        var (run, token) = await AddSlurmRunAsync();
        var client = _app.CreateClient();

        for (var attempt = 0; attempt < 3; attempt++)
        {
            var answer = await Post(client, run, token, new JobReports([OneBatch(1).Reports[0], OneBatch(2).Reports[0]]));
            Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());
            Assert.Equal(2, (await answer.Content.ReadFromJsonAsync<JobReportAnswer>(JobJson.Options))!.AcceptedThrough);
        }
        var gap = await Post(client, run, token, OneBatch(5));
        await gap.AssertProblemAsync(HttpStatusCode.Conflict, "a report after a gap");

        Assert.Equal((2, 2L), await StoredAsync(run));
    }

    [Fact]
    public async Task AReportForARunThatEnded_AnswersConflictSoTheJobStops()
    {
        var (run, token) = await AddSlurmRunAsync();
        var client = _app.CreateClient();
        await using (var db = await Db().CreateDbContextAsync())
        {
            await db.Runs.Where(r => r.Id == run).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RunStatus.Cancelled));
        }

        var answer = await Post(client, run, token, OneBatch(1));

        var problem = await answer.AssertProblemAsync(HttpStatusCode.Conflict, "a report for a cancelled run");
        Assert.Contains("should stop", problem.Detail);
        Assert.Equal((0, 0L), await StoredAsync(run));
    }

    [Fact]
    public async Task Reports_SeqBelowOneUnknownFieldDuplicateKeyOrFraction_AreRefusedNamingTheFieldAndChangeNothing()
    {
        var (run, token) = await AddSlurmRunAsync();
        var client = _app.CreateClient();
        (string Body, string Detail)[] cases =
        [
            ("""{"reports": [{"seq": -1, "batches": [{"step": 1, "epoch": 1, "loss": 0.5, "learningRate": 0.01}]}]}""",
                "reports[0].seq must be 1 or more (reports are numbered from 1), not -1."),
            ("""{"reports": [{"seq": 1, "start": {"device": "cpu"}}, {"seq": 0}]}""", "reports[1].seq must be 1 or more (reports are numbered from 1), not 0."),
            ("""{"reports": [{"seq": 1, "batchez": []}]}""", "reports[0].batchez is not a field of this request (the fields of reports[0] are seq, start, batches, epoch, end)."),
            ("""{"reports": [{"seq": 1, "seq": 2}]}""", "reports[0].seq is given twice: give each key once."),
            ("""{"reports": [{"seq": 1.5}]}""", "reports[0].seq must be a whole number, not 1.5."),
        ];

        foreach (var (body, detail) in cases)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/jobs/{run}/reports") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var problem = await (await client.SendAsync(request)).AssertProblemAsync(HttpStatusCode.BadRequest, body);
            Assert.Equal(detail, problem.Detail);
        }
        using (var resume = new HttpRequestMessage(HttpMethod.Get, $"/api/jobs/{run}/checkpoints/last?fold=abc"))
        {
            resume.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var problem = await (await client.SendAsync(resume)).AssertProblemAsync(HttpStatusCode.BadRequest, "?fold=abc");
            Assert.Equal("fold must be a whole number; got 'abc'.", problem.Detail);
        }
        Assert.Equal((0, 0L), await StoredAsync(run));
    }

    [Fact]
    public async Task Reports_EveryKindAsTheJobSendsThem_AreReadByTheStrictReader()
    {
        var (run, token) = await AddSlurmRunAsync();
        var metrics = PalmLab.Engine.Metrics.BinaryMetrics.Compute([0.9f, 0.2f, 0.7f, 0.4f], [1, 0, 1, 1]);
        var reports = new JobReports(
        [
            new JobReport(1, Start: new JobStart("cpu", "node1")),
            OneBatch(2).Reports[0],
            new JobReport(3, Epoch: new JobEpoch(null, null, new PalmLab.Engine.Training.EpochResult(1, 2, 0.5, 0.4, metrics, 0.01, 1.0, 10.0, true))),
        ]);

        var answer = await Post(_app.CreateClient(), run, token, reports);

        Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());
        Assert.Equal(3, (await answer.Content.ReadFromJsonAsync<JobReportAnswer>(JobJson.Options))!.AcceptedThrough);
    }

    private static Task<HttpResponseMessage> Post(HttpClient client, int run, string token, JobReports reports)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/jobs/{run}/reports") { Content = JsonContent.Create(reports, options: JobJson.Options) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }

    private IDbContextFactory<PalmLabDbContext> Db() => _app.Services.GetRequiredService<IDbContextFactory<PalmLabDbContext>>();

    // A run as the Slurm executor leaves it once submitted: Running, with the hash of its job's token.
    private async Task<(int Run, string Token)> AddSlurmRunAsync()
    {
        var (token, hash) = RunTokens.Create();
        await using var db = await Db().CreateDbContextAsync();
        var dataSet = await db.DataSets.SingleAsync(d => d.Name == "tiny");
        var run = new Run
        {
            Name = "slurm run",
            Status = RunStatus.Running,
            DataSetId = dataSet.Id,
            Executor = RunExecutors.Slurm,
            JobId = "1",
            JobTokenHash = hash,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        return (run.Id, token);
    }

    private async Task<(int Batches, long Seq)> StoredAsync(int run)
    {
        await using var db = await Db().CreateDbContextAsync();
        return (await db.BatchLosses.CountAsync(b => b.RunId == run), await db.Runs.Where(r => r.Id == run).Select(r => r.JobReportSeq).SingleAsync());
    }
}
