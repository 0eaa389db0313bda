using System.Net;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using PalmLab.Web.Data;

namespace PalmLab.Tests.Web.Security;

/// <summary>
/// What a web page the user visits could make the browser do to the dashboard on loopback: reach it under its own
/// name (DNS rebinding), send state-changing requests from its origin, or post a JSON body as a "simple" request.
/// </summary>
public sealed class RequestGuardTests : IDisposable
{
    private const string Queued = "{\"dataSet\": \"tiny\", \"preset\": \"quick\", \"depth\": 18, \"imageSize\": 32, \"batchSize\": 4, \"epochs\": 1}";

    private readonly PalmLabAppFactory _app = new(settings: new()
    {
        ["AllowedHosts"] = "palmlab.lab.example;10.0.0.5",
        ["Slurm:ServerUrl"] = "http://head-node:5180",
    }, kestrel: false);

    public void Dispose() => _app.Dispose();

    private HttpClient Client() => _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:5180")]
    [InlineData("localhost.evil.example")]
    [InlineData("127.0.0.1.nip.io:5180")]
    public async Task AnyRequest_HostNotAllowed_Answers400Problem(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/runs");
        request.Headers.Host = host;

        using var response = await Client().SendAsync(request);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, $"GET /api/runs with Host: {host}");
        Assert.Contains("PalmLab:AllowedHosts", problem.Detail);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1:5180")]
    [InlineData("[::1]:5180")]
    [InlineData("127.0.0.2:5180")]
    [InlineData("palmlab.lab.example")]
    [InlineData("PALMLAB.lab.example:5180")]
    [InlineData("10.0.0.5:5180")]
    [InlineData("head-node:5180")]
    public async Task AnyRequest_LoopbackConfiguredOrSlurmServerHost_IsAnswered(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/runs");
        request.Headers.Host = host;

        using var response = await Client().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Page_AnyAnswer_CarriesAContentSecurityPolicyWithoutInlineScript()
    {
        using var response = await Client().GetAsync("/");

        // Blazor adds a policy of its own (frame-ancestors 'self'); a browser enforces both.
        var directives = response.Headers.GetValues("Content-Security-Policy").SelectMany(p => p.Split(';')).Select(d => d.Trim()).ToList();
        Assert.Equal("script-src 'self'", Assert.Single(directives, d => d.StartsWith("script-src ", StringComparison.Ordinal)));
        Assert.Contains("frame-ancestors 'none'", directives);
        Assert.DoesNotContain("type=\"importmap\"", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("clone", "Origin", "http://evil.example")]
    [InlineData("cancel", "Origin", "http://evil.example")]
    [InlineData("resume", "Origin", "http://evil.example")]
    [InlineData("clone", "Origin", "http://localhost:8080")]
    [InlineData("clone", "Origin", "null")]
    [InlineData("clone", "Sec-Fetch-Site", "cross-site")]
    [InlineData("cancel", "Sec-Fetch-Site", "same-site")]
    public async Task RunAction_SentFromAnotherSite_Answers403AndDoesNothing(string action, string header, string value)
    {
        var client = Client();
        var id = await QueueAsync(client);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/runs/{id}/{action}");
        request.Headers.TryAddWithoutValidation(header, value);

        using var response = await client.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, $"POST {action} with {header}: {value}");
        // No clone was queued and the run was not cancelled (the worker may have started it meanwhile).
        Assert.Equal(1, System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/api/runs")).RootElement.GetArrayLength());
        Assert.Contains((await client.GetRunAsync(id)).Status, new[] { RunStatus.Queued, RunStatus.Running, RunStatus.Completed });
    }

    [Theory]
    [InlineData("DELETE", "/api/runs/1")]
    [InlineData("PATCH", "/api/runs/1")]
    [InlineData("POST", "/api/sweeps")]
    [InlineData("POST", "/api/runs")]
    public async Task StateChange_WithAForeignOrigin_Answers403(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = new StringContent(Queued, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Origin", "https://evil.example");

        using var response = await Client().SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, $"{method} {path} from https://evil.example");
    }

    [Fact]
    public async Task RunActions_FromThePagesOwnOriginOrWithoutBrowserHeaders_StillWork()
    {
        var client = Client();
        var id = await QueueAsync(client);

        using var clone = new HttpRequestMessage(HttpMethod.Post, $"/api/runs/{id}/clone");
        clone.Headers.TryAddWithoutValidation("Origin", "http://localhost");
        clone.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "same-origin");
        using var cloned = await client.SendAsync(clone);
        using var cancel = await client.PostAsync($"/api/runs/{id}/cancel", null);
        using var resume = await client.PostAsync($"/api/runs/{id}/resume", null);

        Assert.Equal(HttpStatusCode.Created, cloned.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        // The run service answers, not the guard: 204, or 409 while the cancel is still on its way or when the run
        // stopped before its first checkpoint.
        Assert.True(resume.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.Conflict,
            $"POST resume answered {(int)resume.StatusCode} {await resume.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task Read_WithAForeignOrigin_IsAnswered()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/runs");
        request.Headers.TryAddWithoutValidation("Origin", "http://evil.example");

        using var response = await Client().SendAsync(request);

        // The browser keeps the answer from the other site (no CORS); refusing reads would only break links.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task WebSocket_FromAnotherOrigin_Answers403()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hubs/runs?id=x");
        request.Headers.TryAddWithoutValidation("Upgrade", "websocket");
        request.Headers.TryAddWithoutValidation("Connection", "Upgrade");
        request.Headers.TryAddWithoutValidation("Origin", "http://evil.example");

        using var response = await Client().SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "a WebSocket to the hub from http://evil.example");
    }

    [Theory]
    [InlineData("POST", "/api/runs", null)]
    [InlineData("POST", "/api/runs", "text/plain")]
    [InlineData("POST", "/api/runs", "application/x-www-form-urlencoded")]
    [InlineData("POST", "/api/sweeps", null)]
    [InlineData("POST", "/api/sweeps", "text/plain")]
    [InlineData("PATCH", "/api/runs/1", null)]
    [InlineData("PATCH", "/api/runs/1", "text/plain")]
    public async Task JsonEndpoint_BodyNotDeclaredJson_Answers415(string method, string path, string? contentType)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Queued)) };
        if (contentType is not null)
        {
            request.Content.Headers.ContentType = new(contentType);
        }

        using var response = await Client().SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, $"{method} {path} as {contentType ?? "nothing"}");
        Assert.Equal(0, System.Text.Json.JsonDocument.Parse(await Client().GetStringAsync("/api/runs")).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task QueueRun_DeclaredJson_Answers201()
    {
        using var response = await Client().PostAsync("/api/runs", new StringContent(Queued, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static async Task<int> QueueAsync(HttpClient client)
    {
        using var response = await client.PostAsync("/api/runs", new StringContent(Queued, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt32();
    }
}
