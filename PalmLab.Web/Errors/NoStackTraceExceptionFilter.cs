using Microsoft.AspNetCore.Diagnostics;

namespace PalmLab.Web.Errors;

/// <summary>
/// The host adds the developer exception page by itself in Development, outside our exception handler; an exception
/// that gets past that handler (say the error page itself fails) would show its stack trace to users. This filter takes
/// the page's place with a bare 500: problem details where the client accepts JSON, a line of text otherwise.
/// </summary>
public sealed class NoStackTraceExceptionFilter(IProblemDetailsService problemDetails) : IDeveloperPageExceptionFilter
{
    public async Task HandleExceptionAsync(ErrorContext errorContext, Func<ErrorContext, Task> next)
    {
        var context = errorContext.HttpContext;
        var written = await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = context.Response.StatusCode },
        });
        if (!written)
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("An error occurred while processing your request.");
        }
    }
}
