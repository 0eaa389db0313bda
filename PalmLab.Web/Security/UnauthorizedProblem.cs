namespace PalmLab.Web.Security;

/// <summary>The 401 answer to a request without a signed-in user or a valid API key, as problem details.</summary>
public static class UnauthorizedProblem
{
    public const string Detail =
        "Sign in at /login, or send the API key as 'Authorization: Bearer KEY' or 'X-Api-Key: KEY'.";

    /// <remarks>
    /// The body is written here rather than left to the status-code pages: outside /api those re-execute the
    /// not-found page, which would turn the hub's or the circuit's 401 into a redirect.
    /// </remarks>
    public static async Task WriteAsync(HttpContext context, int statusCode = StatusCodes.Status401Unauthorized)
    {
        context.Response.StatusCode = statusCode;
        if (statusCode == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        var written = await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = statusCode, Detail = statusCode == StatusCodes.Status401Unauthorized ? Detail : null },
        });
        if (!written)
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(Detail, context.RequestAborted);
        }
    }
}
