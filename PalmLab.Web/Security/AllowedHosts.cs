using Microsoft.Extensions.Options;
using PalmLab.Web.Options;

namespace PalmLab.Web.Security;

/// <summary>Which Host headers the dashboard answers: the loopback names, PalmLab:AllowedHosts and the Slurm jobs' server's.</summary>
public sealed class AllowedHosts
{
    public static readonly IReadOnlyList<string> Loopback = ["localhost", "127.0.0.1", "[::1]"];

    private readonly HashSet<string> _names;
    private readonly bool _any;

    public AllowedHosts(IOptions<HostsOptions> hosts, IOptions<PalmLabOptions> palmLab)
    {
        var configured = (hosts.Value.AllowedHosts ?? "")
            .Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        _any = configured.Contains("*");
        _names = new HashSet<string>(Loopback.Concat(configured), StringComparer.OrdinalIgnoreCase);
        if (Uri.TryCreate(palmLab.Value.Slurm.ServerUrl, UriKind.Absolute, out var server))
        {
            _names.Add(server.Host);
        }
    }

    /// <summary>The names answered, for the message that refuses another.</summary>
    public IEnumerable<string> Names => _names.Order(StringComparer.Ordinal);

    /// <summary>Whether a request with this Host header (its name, without the port) is answered.</summary>
    public bool Allows(HostString host) =>
        host.HasValue && (_any || _names.Contains(host.Host) || IsLoopbackAddress(host.Host));

    // 127.0.0.2 and the like are loopback too; Kestrel reports an IPv6 host with its brackets.
    private static bool IsLoopbackAddress(string host) =>
        System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var ip) && System.Net.IPAddress.IsLoopback(ip);
}
