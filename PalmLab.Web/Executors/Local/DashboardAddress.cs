using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace PalmLab.Web.Executors.Local;

/// <summary>
/// The address a local training process reaches this dashboard at: the server's own listening address, as a loopback
/// one (a wildcard or "localhost" becomes 127.0.0.1), http preferred. Known once the server listens.
/// </summary>
public sealed class DashboardAddress(IServer server, IHostApplicationLifetime lifetime)
{
    /// <summary>Waits until the server listens, then its loopback address.</summary>
    /// <exception cref="InvalidOperationException">The server listens nowhere (an in-memory test server, say).</exception>
    public async Task<Uri> GetAsync(CancellationToken cancellationToken)
    {
        if (!lifetime.ApplicationStarted.IsCancellationRequested)
        {
            var started = new TaskCompletionSource();
            await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            await using (cancellationToken.Register(() => started.TrySetCanceled(cancellationToken)))
            {
                await started.Task;
            }
        }
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        return Choose(addresses)
            ?? throw new InvalidOperationException("The dashboard listens on no address a local training process could report to.");
    }

    /// <summary>The best loopback form of <paramref name="addresses"/> (Kestrel's, such as "http://[::]:5000"), or null.</summary>
    public static Uri? Choose(IEnumerable<string> addresses) => addresses
        .Select(Loopback)
        .OfType<Uri>()
        .OrderBy(u => u.Scheme == Uri.UriSchemeHttp ? 0 : 1)
        .FirstOrDefault();

    private static Uri? Loopback(string address)
    {
        // Kestrel writes wildcards as "+" or "*", which Uri does not take as a host.
        var text = address.Replace("://+", "://0.0.0.0").Replace("://*", "://0.0.0.0");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Port <= 0)
        {
            return null;
        }
        var host = uri.Host switch
        {
            "0.0.0.0" or "localhost" => "127.0.0.1",
            "[::]" or "::" => "[::1]",
            _ => uri.Host,
        };
        return new UriBuilder(uri.Scheme, host, uri.Port).Uri;
    }
}
