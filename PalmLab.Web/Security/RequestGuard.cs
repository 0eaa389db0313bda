using PalmLab.Web.Extensions;

namespace PalmLab.Web.Security;

/// <summary>
/// What keeps other web sites from driving the dashboard through the user's browser, before anything else answers:
/// a Host header the dashboard does not answer to is refused (DNS rebinding), and so is a state-changing request
/// (or a WebSocket) that the browser says comes from another site (<c>Sec-Fetch-Site</c>) or another origin
/// (<c>Origin</c>). Scripts, the CLI and Slurm jobs send neither header and pass. A signed-in browser's cookie is
/// ambient, so a state-changing API call that carries it must also prove it came from a PalmLab page.
/// </summary>
public sealed class RequestGuard(RequestDelegate next, AllowedHosts hosts)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!hosts.Allows(request.Host))
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "Host not allowed",
                $"This dashboard does not answer to the host '{request.Host.Host}'; it answers to {string.Join(", ", hosts.Names)}. "
                + "Reaching it by another name? Add that name to PalmLab:AllowedHosts.");
            return;
        }
        if (ChangesState(context) && CrossSiteReason(request) is { } reason)
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "Cross-site request refused", reason);
            return;
        }
        await next(context);
    }

    /// <summary>Why the browser's own headers show <paramref name="request"/> was sent by another site, or null.</summary>
    public static string? CrossSiteReason(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        // "same-site" is not enough: every port of localhost, and every sibling subdomain, is the same site.
        if (site is "cross-site" or "same-site")
        {
            return $"The browser sent this request from another site (Sec-Fetch-Site: {site}); PalmLab acts only on requests from its own pages.";
        }
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !IsOwnOrigin(origin, request.Host))
        {
            return $"The browser sent this request from {origin}, not from PalmLab's own pages ({request.Host}).";
        }
        // A signed-in browser sends its cookie along with any request; only proof of a PalmLab page lets it act.
        if (request.Path.StartsWithSegments("/api") && request.Cookies.ContainsKey(SecurityExtensions.CookieName)
            && !ApiKeyAuthenticationHandler.PresentsKey(request) && origin.Length == 0 && site != "same-origin")
        {
            return "A signed-in browser's API call must come from a PalmLab page (with an Origin or Sec-Fetch-Site: same-origin header); "
                + "scripts should send the API key instead of the sign-in cookie.";
        }
        return null;
    }

    private static bool ChangesState(HttpContext context) =>
        !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method))
        || string.Equals(context.Request.Headers.Upgrade, "websocket", StringComparison.OrdinalIgnoreCase);

    // Host and port as the browser saw them. The scheme is left out, since a proxy that ends TLS hands PalmLab plain
    // HTTP; so a Host without a port matches an Origin on its scheme's default port. Another port of the same name is
    // another origin; so is "null" (a sandboxed frame, a file).
    private static bool IsOwnOrigin(string origin, HostString host)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || !string.Equals(uri.Host, host.Host, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        return host.Port is { } port ? uri.Port == port : uri.IsDefaultPort;
    }

    private static Task RefuseAsync(HttpContext context, int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(context);
}
