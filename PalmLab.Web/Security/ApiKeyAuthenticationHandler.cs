using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using PalmLab.Web.Api;

namespace PalmLab.Web.Security;

/// <summary>
/// Signs in scripts that send the configured API key, as <c>Authorization: Bearer KEY</c> or <c>X-Api-Key: KEY</c>.
/// A request without either is left to the cookie; one with a wrong key fails (401), cookie or not.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<AuthOptions> auth)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string UserName = "api-key";

    /// <summary>
    /// Whether the request presents a key (right or wrong), so this scheme, not the cookie, answers for it. A job's
    /// call carries its run's token as a Bearer token, which is no API key: trying it as one would fail and log so on
    /// every call, for an endpoint that checks the token itself.
    /// </summary>
    public static bool PresentsKey(HttpRequest request) =>
        !request.Path.StartsWithSegments(JobsApi.Root, StringComparison.OrdinalIgnoreCase)
        && (request.Headers.ContainsKey(HeaderName) || BearerToken.Read(request) is not null);

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = Request.Headers.TryGetValue(HeaderName, out var header) ? header.ToString() : BearerToken.Read(Request);
        if (key is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        if (!SecretComparer.AreEqual(key, auth.Value.ApiKey))
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, UserName)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) => UnauthorizedProblem.WriteAsync(Context);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        UnauthorizedProblem.WriteAsync(Context, StatusCodes.Status403Forbidden);
}
