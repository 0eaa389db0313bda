using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.WebUtilities;
using PalmLab.Web.Api;

namespace PalmLab.Tests.Web.Security;

/// <summary>The real app with <c>PalmLab:Auth:Require=always</c> and the test credentials: nothing open but sign-in.</summary>
public sealed class SignInRequiredTests : IDisposable
{
    private readonly PalmLabAppFactory _app = new(settings: TestCredentials.Settings(require: "always"), kestrel: false);

    public void Dispose() => _app.Dispose();

    private HttpClient Client() => _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    [Fact]
    public async Task ApiCall_WithoutCredentials_Answers401ProblemDetailsNotARedirect()
    {
        using var response = await Client().GetAsync("/api/runs");

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "GET /api/runs without credentials");
        Assert.Contains("API key", problem.Detail);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [InlineData("Authorization", "Bearer not-the-key-0123456789")]
    [InlineData("X-Api-Key", "not-the-key-0123456789")]
    [InlineData("X-Api-Key", "")]
    public async Task ApiCall_WithAWrongKey_Answers401(string header, string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/runs");
        request.Headers.TryAddWithoutValidation(header, value);

        using var response = await Client().SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, $"GET /api/runs with {header}: {value}");
    }

    [Theory]
    [InlineData("Authorization", "Bearer " + TestCredentials.ApiKey)]
    [InlineData("X-Api-Key", TestCredentials.ApiKey)]
    public async Task ApiCall_WithTheKey_Answers200(string header, string value)
    {
        var client = Client();
        client.DefaultRequestHeaders.Add(header, value);

        using var list = await client.GetAsync("/api/runs");
        using var queued = await client.PostAsJsonAsync("/api/runs", PalmLabAppFactory.TinyRun(epochs: 1));

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.Created, queued.StatusCode);
        var run = (await queued.Content.ReadFromJsonAsync<RunDto>(ApiClient.Json))!;
        await client.PostAsync($"/api/runs/{run.Id}/cancel", null);
    }

    [Theory]
    [InlineData("/runs/new?preset=quick")]
    [InlineData("/")]
    [InlineData("/no-such-page")]
    public async Task Page_WithoutCookie_RedirectsToLoginWithTheReturnUrl(string path)
    {
        using var response = await Client().GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = new Uri(_app.Server.BaseAddress, response.Headers.Location!);
        Assert.Equal("/login", location.AbsolutePath);
        Assert.Equal(path, QueryHelpers.ParseQuery(location.Query)["ReturnUrl"].ToString());
    }

    [Theory]
    [InlineData("POST", "/hubs/runs/negotiate?negotiateVersion=1")]
    [InlineData("POST", "/_blazor/negotiate?negotiateVersion=1")]
    [InlineData("GET", "/openapi/v1.json")]
    [InlineData("DELETE", "/api/runs/1")]
    [InlineData("GET", "/api/runs/1/checkpoints/best/onnx")]
    public async Task MachineEndpoint_WithoutCredentials_Answers401(string method, string path)
    {
        using var response = await Client().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, $"{method} {path} without credentials");
    }

    [Fact]
    public async Task OpenEndpoints_WithoutCredentials_AnswerHealthLoginAndStaticAssets()
    {
        var client = Client();

        using var health = await client.GetAsync("/health");
        using var login = await client.GetAsync("/login");
        var html = await login.Content.ReadAsStringAsync();
        using var favicon = await client.GetAsync("/favicon.png");
        // Every script the sign-in page itself loads, so it renders as the rest of the app does.
        var scripts = System.Text.RegularExpressions.Regex.Matches(html, "<script src=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("Sign in", html);
        Assert.Equal(HttpStatusCode.OK, favicon.StatusCode);
        Assert.Contains(scripts, s => s.Contains("blazor.web", StringComparison.Ordinal));
        foreach (var script in scripts)
        {
            using var response = await client.GetAsync("/" + script);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{script} answered {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Login_RightPassword_SetsTheCookieAndGoesBackToThePageAskedFor()
    {
        var client = Client();
        using var redirect = await client.GetAsync("/runs/new");

        using var signIn = await SignInForm.PostAsync(client, redirect.Headers.Location!.ToString(),
            TestCredentials.AdminUser, TestCredentials.AdminPassword);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/runs/new", new Uri(_app.Server.BaseAddress, signIn.Headers.Location!).PathAndQuery);
        Assert.Contains(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("palmlab-auth=", StringComparison.Ordinal)
            && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
        using var page = await client.GetAsync("/runs/new");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("New run", html);
        Assert.Contains("Sign out", html);
        using var api = await client.GetAsync("/api/runs");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        using var hub = await client.PostAsync("/hubs/runs/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.OK, hub.StatusCode);
    }

    [Fact]
    public async Task Login_WrongPassword_ShowsTheFormAgainWithAnErrorAndNoCookie()
    {
        var client = Client();

        using var signIn = await SignInForm.PostAsync(client, "/login?ReturnUrl=%2F", TestCredentials.AdminUser, "not the password");

        var html = await signIn.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Contains("Wrong user name or password.", html);
        Assert.Contains("name=\"Password\"", html);
        Assert.False(signIn.Headers.TryGetValues("Set-Cookie", out var cookies)
            && cookies.Any(c => c.StartsWith("palmlab-auth=", StringComparison.Ordinal)), "a failed sign-in set the cookie");
        using var page = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
    }

    [Fact]
    public async Task Login_ReturnUrlOfAnotherSite_GoesHomeInstead()
    {
        var client = Client();

        using var signIn = await SignInForm.PostAsync(client, "/login?ReturnUrl=%2F%2Fevil.example%2Fx",
            TestCredentials.AdminUser, TestCredentials.AdminPassword);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/", new Uri(_app.Server.BaseAddress, signIn.Headers.Location!).PathAndQuery);
    }

    [Fact]
    public async Task SignOut_FromTheAppBarForm_EndsTheSession()
    {
        var client = Client();
        await SignInForm.PostAsync(client, "/login", TestCredentials.AdminUser, TestCredentials.AdminPassword);
        using var page = await client.GetAsync("/");
        var token = SignInForm.AntiforgeryToken(await page.Content.ReadAsStringAsync());

        using var signOut = await client.PostAsync("/logout",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("/login", new Uri(_app.Server.BaseAddress, signOut.Headers.Location!).AbsolutePath);
        using var after = await client.GetAsync("/api/runs");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task SignOut_WithoutAntiforgeryToken_IsRefused()
    {
        var client = Client();
        await SignInForm.PostAsync(client, "/login", TestCredentials.AdminUser, TestCredentials.AdminPassword);

        using var signOut = await client.PostAsync("/logout", new FormUrlEncodedContent([]));

        await signOut.AssertProblemAsync(HttpStatusCode.BadRequest, "POST /logout without antiforgery token");
        using var api = await client.GetAsync("/api/runs");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }

    [Fact]
    public async Task Hub_WithTheApiKey_ConnectsAndWithoutItIsRefused()
    {
        await using var withKey = Hub(o => o.Headers["X-Api-Key"] = TestCredentials.ApiKey);
        await using var without = Hub(_ => { });

        await withKey.StartAsync();
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => without.StartAsync());

        Assert.Equal(HubConnectionState.Connected, withKey.State);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    private HubConnection Hub(Action<HttpConnectionOptions> configure) => new HubConnectionBuilder()
        .WithUrl(new Uri(_app.Server.BaseAddress, "hubs/runs"), o =>
        {
            o.HttpMessageHandlerFactory = _ => _app.Server.CreateHandler();
            o.Transports = HttpTransportType.LongPolling;
            configure(o);
        })
        .Build();
}
