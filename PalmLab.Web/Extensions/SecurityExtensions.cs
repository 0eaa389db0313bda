using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using PalmLab.Web.Security;

namespace PalmLab.Web.Extensions;

/// <summary>
/// Sign-in when the dashboard is reachable from other machines: a cookie for the browser (the /login page), the API key
/// for scripts, and a fallback policy that asks one of them of every endpoint not mapped with AllowAnonymous. On
/// loopback only, no policy is set and everything stays open.
/// </summary>
public static class SecurityExtensions
{
    public const string Scheme = "PalmLab";
    public const string CookieName = "palmlab-auth";
    public static readonly TimeSpan SessionLength = TimeSpan.FromHours(12);

    public static IServiceCollection AddPalmLabSecurity(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddSingleton(provider => SignInRequirement.From(
            provider.GetRequiredService<IConfiguration>(), provider.GetRequiredService<IOptions<AuthOptions>>().Value));
        services.AddSingleton<AdminCredentials>();
        services.AddSingleton<LoginThrottle>();
        services.AddOptions<HostsOptions>().BindConfiguration(HostsOptions.SectionName);
        services.AddSingleton<AllowedHosts>();
        services.AddProblemDetails();

        services.AddAuthentication(Scheme)
            // A request that presents a key is the key's to answer; any other is the cookie's.
            .AddPolicyScheme(Scheme, Scheme, policy => policy.ForwardDefaultSelector = context =>
                ApiKeyAuthenticationHandler.PresentsKey(context.Request)
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(cookie =>
            {
                cookie.Cookie.Name = CookieName;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.ExpireTimeSpan = SessionLength;
                cookie.SlidingExpiration = true;
                cookie.LoginPath = SignInPaths.Login;
                cookie.LogoutPath = SignInPaths.Logout;
                cookie.Events.OnRedirectToLogin = context => SignInPaths.IsMachineRequest(context.Request)
                    ? UnauthorizedProblem.WriteAsync(context.HttpContext)
                    : Redirect(context);
                cookie.Events.OnRedirectToAccessDenied = context => SignInPaths.IsMachineRequest(context.Request)
                    ? UnauthorizedProblem.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden)
                    : Redirect(context);
            });
        services.AddAuthorization();
        services.AddOptions<AuthorizationOptions>().Configure<SignInRequirement>((authorization, requirement) =>
        {
            if (requirement.Required)
            {
                authorization.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
            }
        });
        services.AddCascadingAuthenticationState();
        return services;
    }

    /// <summary>
    /// The content security policy, the host and cross-site checks (<see cref="RequestGuard"/>), then authentication and
    /// authorization; after the error handling and before antiforgery.
    /// </summary>
    public static WebApplication UsePalmLabSecurity(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy.Value;
            return next(context);
        });
        app.UseMiddleware<RequestGuard>();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>POST /logout (the app bar's "Sign out"): ends the session and goes to the sign-in page.</summary>
    public static WebApplication MapPalmLabSignOut(this WebApplication app)
    {
        app.MapPost(SignInPaths.Logout, async Task<IResult> (HttpContext context) =>
            {
                // The middleware only records the check; a handler that binds no form must act on it itself. The
                // answer has a body, so the status-code pages leave it alone (they would re-post it to a page).
                if (context.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: true })
                {
                    return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest,
                        detail: "The sign-out form has expired or did not come from PalmLab; reload the page and sign out again.");
                }
                await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                return TypedResults.LocalRedirect(SignInPaths.Login);
            })
            .AllowAnonymous()
            .WithMetadata(new RequireAntiforgeryTokenAttribute())
            .ExcludeFromDescription();
        return app;
    }

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
