namespace PalmLab.Web.Security;

public static class BearerToken
{
    private const string Prefix = "Bearer ";

    /// <summary>The token of an <c>Authorization: Bearer TOKEN</c> header, or null when the request has none.</summary>
    public static string? Read(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && header.Length > Prefix.Length
            ? header[Prefix.Length..].Trim()
            : null;
    }
}
