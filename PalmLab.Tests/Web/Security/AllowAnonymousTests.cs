using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using PalmLab.Web.Extensions;
using PalmLab.Web.Security;

namespace PalmLab.Tests.Web.Security;

/// <summary>
/// A job's report endpoint as the Slurm executor will map it: <c>.AllowAnonymous()</c>, checking the run's token itself,
/// under the app's own security (AddPalmLabSecurity, UsePalmLabSecurity) with sign-in required. It must be reachable
/// without the cookie or the API key, and only with that run's token may it change anything.
/// </summary>
public sealed class AllowAnonymousTests : IAsyncLifetime
{
    private const string ReportPath = "/api/runs/7/report";
    private readonly (string Token, string Hash) _run = RunTokens.Create();
    private readonly (string Token, string Hash) _otherRun = RunTokens.Create();
    private WebApplication _app = default!;
    private HttpClient _client = default!;
    private int _reports;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(
            TestCredentials.Settings(require: "always").ToDictionary(s => "PalmLab:" + s.Key, s => s.Value));
        builder.Services.AddPalmLabSecurity();
        _app = builder.Build();
        _app.UsePalmLabSecurity();
        _app.MapPost(ReportPath, (HttpContext context) =>
        {
            if (!RunTokens.IsValid(context.Request, _run.Hash))
            {
                return RunTokens.Rejected();
            }
            Interlocked.Increment(ref _reports);
            return Results.NoContent();
        }).AllowAnonymous();
        _app.MapGet("/api/runs", () => "every run");
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Report_WithTheRunsToken_ReachedWithoutSignInOrKey()
    {
        using var response = await PostReportAsync(_run.Token);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(1, _reports);
    }

    [Fact]
    public async Task Report_WithAnotherRunsToken_Answers401AndChangesNothing()
    {
        using var response = await PostReportAsync(_otherRun.Token);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "a report with another run's token");
        Assert.Equal(0, _reports);
    }

    [Fact]
    public async Task Report_WithoutToken_Answers401AndChangesNothing()
    {
        using var response = await PostReportAsync(null);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "a report without a token");
        Assert.Equal(0, _reports);
    }

    [Fact]
    public async Task Report_WithTheApiKeyInsteadOfTheRunsToken_Answers401()
    {
        using var response = await PostReportAsync(TestCredentials.ApiKey);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "a report with the API key");
        Assert.Equal(0, _reports);
    }

    [Fact]
    public async Task EndpointWithoutAllowAnonymous_WithoutCredentialsOrWithARunToken_Answers401()
    {
        using var anonymous = await _client.GetAsync("/api/runs");
        using var withRunToken = await SendAsync(HttpMethod.Get, "/api/runs", _run.Token);
        using var withKey = await SendAsync(HttpMethod.Get, "/api/runs", TestCredentials.ApiKey);

        await anonymous.AssertProblemAsync(HttpStatusCode.Unauthorized, "GET /api/runs without credentials");
        await withRunToken.AssertProblemAsync(HttpStatusCode.Unauthorized, "GET /api/runs with a run token");
        Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
    }

    private Task<HttpResponseMessage> PostReportAsync(string? token) => SendAsync(HttpMethod.Post, ReportPath, token);

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }
        return _client.SendAsync(request);
    }
}
