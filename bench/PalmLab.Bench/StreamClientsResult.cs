using System.Text.Json;
using System.Text.Json.Serialization;

namespace PalmLab.Bench;

/// <summary>
/// What the stream benchmark's client process saw, sent back to the server process as one JSON line. Latencies are in
/// milliseconds from the server's call of <c>RunNotifier.BatchCompleted</c> to the client's handler, over every point of
/// every client.
/// </summary>
public sealed record StreamClientsResult(
    int Clients,
    int Expected,
    int FewestDelivered,
    long Duplicates,
    long OutOfRange,
    double P50,
    double P95,
    double P99,
    double Max)
{
    /// <summary>With no point delivered the latencies are NaN, which plain JSON cannot carry.</summary>
    public static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };
}
