using System.Net;

namespace PalmLab.Web.Security;

/// <summary>
/// The addresses Kestrel will listen on, read from the same configuration Kestrel reads: its own endpoints
/// (<c>Kestrel:Endpoints:NAME:Url</c>) and <c>urls</c> as the app resolves it (<c>--urls</c>, then <c>Urls</c> from the
/// environment or appsettings.json, then <c>ASPNETCORE_URLS</c>); the
/// <c>HTTP_PORTS</c>/<c>HTTPS_PORTS</c> settings, which bind every interface, only when neither is set; and
/// Kestrel's default, <c>http://localhost:5000</c>, when nothing is.
/// </summary>
public static class ListenAddresses
{
    public const string KestrelDefault = "http://localhost:5000";

    public static IReadOnlyList<string> FromConfiguration(IConfiguration configuration)
    {
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Select(endpoint => endpoint["Url"])
            .OfType<string>();
        var urls = Split(configuration["urls"]);
        var addresses = endpoints.Concat(urls).ToList();
        if (addresses.Count > 0)
        {
            return addresses;
        }

        var ports = Split(configuration["http_ports"]).Select(port => $"http://*:{port}")
            .Concat(Split(configuration["https_ports"]).Select(port => $"https://*:{port}"))
            .ToList();
        return ports.Count > 0 ? ports : [KestrelDefault];
    }

    /// <summary>
    /// True only for an address that names loopback: <c>localhost</c>, 127.0.0.0/8 or <c>[::1]</c>. Everything else
    /// counts as reachable from other machines: <c>0.0.0.0</c>, <c>[::]</c>, <c>*</c> and <c>+</c> (every
    /// interface), a LAN address, a host name (Kestrel binds every interface for it), and Unix sockets or pipes
    /// (a proxy in front of them decides who reaches them).
    /// </summary>
    public static bool IsLoopback(string address)
    {
        var schemeEnd = address.IndexOf("://", StringComparison.Ordinal);
        var rest = schemeEnd < 0 ? address : address[(schemeEnd + 3)..];
        string host;
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']');
            if (close < 0)
            {
                return false;
            }
            host = rest[1..close];
        }
        else
        {
            var end = rest.IndexOfAny([':', '/']);
            host = end < 0 ? rest : rest[..end];
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (!IPAddress.TryParse(host, out var ip))
        {
            return false;
        }
        return IPAddress.IsLoopback(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip);
    }

    private static IEnumerable<string> Split(string? list) =>
        (list ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
