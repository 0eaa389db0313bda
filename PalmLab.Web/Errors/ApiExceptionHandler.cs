using Microsoft.AspNetCore.Diagnostics;

namespace PalmLab.Web.Errors;

/// <summary>
/// An unhandled exception under /api answers 500 problem details with neither the message nor the stack trace (both
/// are logged); pages fall through to the /Error page.
/// </summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // The middleware has already pointed Request.Path at /Error; the feature keeps the path that failed.
        var path = new PathString(httpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? httpContext.Request.Path);
        if (!path.StartsWithSegments("/api"))
        {
            return false;
        }
        httpContext.Response.StatusCode = StatusCodes.Status500InternalServerError;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = StatusCodes.Status500InternalServerError },
        });
    }
}
