using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using PalmLab.Engine.Jobs;

namespace PalmLab.Cli.Jobs;

/// <summary>A job's calls to the dashboard (JobsApi), with its run's token.</summary>
public sealed class JobClient : IDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan TransferTimeout = TimeSpan.FromMinutes(30);
    private readonly HttpClient _http;
    private readonly int _runId;

    public JobClient(Uri server, int runId, string token)
    {
        _runId = runId;
        _http = new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public async Task<JobSpec> GetSpecAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"api/jobs/{_runId}/spec"), CallTimeout, cancellationToken);
        return await response.Content.ReadFromJsonAsync<JobSpec>(JobJson.Options, cancellationToken)
            ?? throw new JobCallException(response.StatusCode, "the dashboard sent an empty spec", runEnded: false);
    }

    public async Task<long> PostReportsAsync(IReadOnlyList<JobReport> reports, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, $"api/jobs/{_runId}/reports") { Content = JsonContent.Create(new JobReports(reports), options: JobJson.Options) },
            CallTimeout, cancellationToken);
        var answer = await response.Content.ReadFromJsonAsync<JobReportAnswer>(JobJson.Options, cancellationToken);
        return answer?.AcceptedThrough ?? 0;
    }

    public async Task UploadAsync(string file, int? fold, string kind, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() =>
        {
            var content = new StreamContent(File.OpenRead(file));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            return new HttpRequestMessage(HttpMethod.Put, $"api/jobs/{_runId}/checkpoints/{kind}{FoldQuery(fold)}") { Content = content };
        }, TransferTimeout, cancellationToken);
    }

    public async Task DownloadResumeAsync(int? fold, string target, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"api/jobs/{_runId}/checkpoints/last{FoldQuery(fold)}"), TransferTimeout, cancellationToken);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        await using var file = File.Create(target);
        await response.Content.CopyToAsync(file, cancellationToken);
    }

    private static string FoldQuery(int? fold) => fold is { } f ? $"?fold={f}" : "";

    // A network failure, a timeout or a 5xx is transient (HttpRequestException); a 4xx is the dashboard's answer (JobCallException).
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        HttpResponseMessage response;
        try
        {
            using var message = request();
            response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HttpRequestException($"the dashboard did not answer within {timeout.TotalSeconds:0} s");
        }
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if ((int)response.StatusCode >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
            {
                throw new HttpRequestException($"the dashboard answered {(int)response.StatusCode}", null, response.StatusCode);
            }
            var (detail, runEnded) = Problem(text);
            throw new JobCallException(response.StatusCode, detail ?? $"the dashboard answered {(int)response.StatusCode}", runEnded);
        }
    }

    private static (string? Detail, bool RunEnded) Problem(string text)
    {
        try
        {
            using var problem = JsonDocument.Parse(text);
            var root = problem.RootElement;
            var detail = root.TryGetProperty("detail", out var d) ? d.GetString() : null;
            var ended = root.TryGetProperty("runEnded", out var e) && e.ValueKind == JsonValueKind.True;
            return (detail, ended);
        }
        catch (JsonException)
        {
            return (null, false);
        }
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>The dashboard refused a job's call (4xx); <see cref="RunEnded"/> when the run is over and the job should stop.</summary>
internal sealed class JobCallException(HttpStatusCode status, string message, bool runEnded) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;

    public bool RunEnded { get; } = runEnded;
}
