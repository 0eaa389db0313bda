using Microsoft.AspNetCore.Diagnostics;
using PalmLab.Web.Errors;

namespace PalmLab.Web.Extensions;

/// <summary>
/// The same error answers in every environment, none with a stack trace: problem details (application/problem+json)
/// under /api, the friendly /Error and /not-found pages elsewhere.
/// </summary>
public static class ErrorHandlingExtensions
{
    public static IServiceCollection AddPalmLabErrorHandling(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();
        // Development would throw on a malformed request (a bad enum in the query, unreadable JSON) and answer 500;
        // everywhere it is the client's 400, which the status-code pages below turn into problem details.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = false);
        services.AddSingleton<IDeveloperPageExceptionFilter, NoStackTraceExceptionFilter>();
        return services;
    }

    /// <remarks>
    /// The re-executing handlers sit on the main pipeline, not in a UseWhen branch: a branch has no route builder of its
    /// own, so a re-executed /Error or /not-found would find no endpoint there and answer an empty 404.
    /// </remarks>
    public static WebApplication UsePalmLabErrorHandling(this WebApplication app)
    {
        app.UseExceptionHandler("/Error", createScopeForErrors: true);
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        // Inside the page handler above: an /api answer gets its problem body here first, which the page handler leaves alone.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/api"), api => api.UseStatusCodePages());
        return app;
    }
}
