using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace PalmLab.Tests.Web;

/// <summary>
/// Appends, after the app's own pipeline, a middleware that throws for <see cref="ApiPath"/> and <see cref="PagePath"/>:
/// those paths have no endpoint, so requests for them reach it from inside the app's error handling, as a failing
/// endpoint's exception would.
/// </summary>
public sealed class ThrowingPathStartupFilter : IStartupFilter
{
    public const string ApiPath = "/api/test-only/throw";
    public const string PagePath = "/test-only/throw";
    public const string Secret = "a-secret-the-user-must-not-see";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        app.Use((context, nextMiddleware) => context.Request.Path == ApiPath || context.Request.Path == PagePath
            ? throw new InvalidOperationException(Secret)
            : nextMiddleware(context));
    };
}
