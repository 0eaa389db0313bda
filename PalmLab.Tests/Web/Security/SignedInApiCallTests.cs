using System.Net;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;

namespace PalmLab.Tests.Web.Security;

/// <summary>
/// With sign-in, a browser sends its cookie along with any request, whichever page made it: a state-changing API call
/// that carries the cookie must show it came from a PalmLab page; a script's key is not sent by browsers and need not.
/// </summary>
public sealed class SignedInApiCallTests : IDisposable
{
    private const string Run = "{\"dataSet\": \"tiny\", \"preset\": \"quick\", \"depth\": 18, \"imageSize\": 32, \"batchSize\": 4, \"epochs\": 1}";

    private readonly PalmLabAppFactory _app = new(settings: TestCredentials.Settings(require: "always"), kestrel: false);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task QueueRun_WithTheCookieButNoOriginOrFetchSite_Answers403()
    {
        var browser = await SignedInAsync();

        using var response = await browser.PostAsync("/api/runs", Json());

        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden, "POST /api/runs with the cookie alone");
        Assert.Contains("API key", problem.Detail);
    }

    [Theory]
    [InlineData("Origin", "http://localhost")]
    [InlineData("Sec-Fetch-Site", "same-origin")]
    public async Task QueueRun_WithTheCookieFromThePagesOwnOrigin_Answers201(string header, string value)
    {
        var browser = await SignedInAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/runs") { Content = Json() };
        request.Headers.TryAddWithoutValidation(header, value);

        using var response = await browser.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task QueueRun_WithTheKeyAndNoBrowserHeaders_Answers201()
    {
        var script = _app.CreateClient();
        script.DefaultRequestHeaders.Add("X-Api-Key", TestCredentials.ApiKey);

        using var response = await script.PostAsync("/api/runs", Json());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static StringContent Json() => new(Run, Encoding.UTF8, "application/json");

    private async Task<HttpClient> SignedInAsync()
    {
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var signIn = await SignInForm.PostAsync(client, "/login?ReturnUrl=%2F", TestCredentials.AdminUser, TestCredentials.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        using var check = await client.GetAsync("/api/runs");
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        return client;
    }
}
