using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using PalmLab.Web.Runs;

namespace PalmLab.Bench;

/// <summary>
/// The stream benchmark's clients, in a process of their own so their CPU is not counted as the server's:
/// `stream clients URL WARM-UP-RUN-ID RUN-ID CLIENTS POINTS`. Each client joins both runs and records when each step of the
/// measured run arrived. The
/// process talks to the server process over its standard streams: it writes "ready" once every client has joined,
/// reads "done EMIT-TIMES-FILE" once the server has emitted every point, and answers "result {json}".
/// </summary>
public static class StreamClients
{
    public const string Mode = "clients";
    public const string Ready = "ready";
    public const string Done = "done";
    public const string Result = "result";

    private static readonly TimeSpan ConnectDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan DeliveryDeadline = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var url = new Uri(new Uri(args[0]), RunsHub.Path);
        int warmUpRunId = Timing.Arg(args, 1, 0), runId = Timing.Arg(args, 2, 0), clients = Timing.Arg(args, 3, 0), points = Timing.Arg(args, 4, 0);

        // received[client][step - 1]: when the client's handler saw that step (Unix ticks), 0 while it has not.
        var received = Enumerable.Range(0, clients).Select(_ => new long[points]).ToArray();
        var counts = new int[clients];
        long duplicates = 0, outOfRange = 0;
        var completeClients = 0;
        var allDelivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (clients == 0)
        {
            allDelivered.SetResult(); // the server's cost without any stream to send
        }

        var connections = new List<HubConnection>();
        try
        {
            for (var client = 0; client < clients; client++)
            {
                var mine = client;
                var connection = new HubConnectionBuilder().WithUrl(url).Build();
                // A connection runs its handlers one at a time, so a client's array needs no lock.
                connection.On<BatchLossesEvent>("batchLosses", message =>
                {
                    var now = DateTimeOffset.UtcNow.UtcTicks;
                    if (message.RunId != runId)
                    {
                        return; // the warm-up run's
                    }
                    foreach (var point in message.Points)
                    {
                        if (point.Step < 1 || point.Step > points)
                        {
                            Interlocked.Increment(ref outOfRange);
                        }
                        else if (received[mine][point.Step - 1] != 0)
                        {
                            Interlocked.Increment(ref duplicates);
                        }
                        else
                        {
                            received[mine][point.Step - 1] = now;
                            if (++counts[mine] == points && Interlocked.Increment(ref completeClients) == clients)
                            {
                                allDelivered.TrySetResult();
                            }
                        }
                    }
                });
                connections.Add(connection);
            }
            using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connecting.CancelAfter(ConnectDeadline);
                try
                {
                    await Task.WhenAll(connections.Select(c => c.StartAsync(connecting.Token)));
                    await Task.WhenAll(connections.Select(c => c.InvokeAsync(nameof(RunsHub.JoinRun), warmUpRunId, connecting.Token)));
                    await Task.WhenAll(connections.Select(c => c.InvokeAsync(nameof(RunsHub.JoinRun), runId, connecting.Token)));
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"{clients} clients did not connect to {url} and join run {runId} within {ConnectDeadline.TotalSeconds:0} s.");
                }
            }
            Console.WriteLine(Ready);

            var done = await Console.In.ReadLineAsync(cancellationToken);
            if (done is null || !done.StartsWith(Done + " ", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The server process sent '{done}' instead of '{Done} EMIT-TIMES-FILE'.");
            }
            var emitted = ReadEmitTimes(done[(Done.Length + 1)..]);
            // Whatever has not arrived by the deadline counts as not delivered.
            await Task.WhenAny(allDelivered.Task, Task.Delay(DeliveryDeadline, cancellationToken));

            var latencies = new List<double>(clients * points);
            for (var client = 0; client < clients; client++)
            {
                for (var step = 0; step < points; step++)
                {
                    if (Volatile.Read(ref received[client][step]) is var at and not 0)
                    {
                        latencies.Add(TimeSpan.FromTicks(at - emitted[step]).TotalMilliseconds);
                    }
                }
            }
            latencies.Sort();
            var result = new StreamClientsResult(clients, points, clients == 0 ? points : counts.Min(), duplicates, outOfRange,
                Timing.Percentile(latencies, 0.50), Timing.Percentile(latencies, 0.95), Timing.Percentile(latencies, 0.99), latencies.Count > 0 ? latencies[^1] : double.NaN);
            Console.WriteLine($"{Result} {JsonSerializer.Serialize(result, StreamClientsResult.Json)}");
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private static long[] ReadEmitTimes(string path) => MemoryMarshal.Cast<byte, long>(File.ReadAllBytes(path)).ToArray();
}
