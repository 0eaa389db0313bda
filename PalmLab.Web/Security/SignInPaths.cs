namespace PalmLab.Web.Security;

/// <summary>The sign-in addresses, and which requests are made by code rather than by a person at a browser.</summary>
public static class SignInPaths
{
    public const string Login = "/login";
    public const string Logout = "/logout";

    private static readonly PathString[] MachinePaths = ["/api", "/hubs", "/openapi", "/_blazor", "/health"];

    /// <summary>
    /// Requests that must hear 401 rather than be redirected to the sign-in page: the API, the hub, the OpenAPI
    /// document and the Blazor circuit (a script gets nothing from a login form).
    /// </summary>
    public static bool IsMachineRequest(HttpRequest request) =>
        MachinePaths.Any(path => request.Path.StartsWithSegments(path, StringComparison.OrdinalIgnoreCase));

    /// <summary>The address to go back to after signing in: only a path on this site, never another site's address.</summary>
    public static string LocalOrHome(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
            ? url
            : "/";
}
