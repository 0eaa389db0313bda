using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PalmLab.Web.Health;

/// <summary>Writes /health as JSON: the overall status and each check's status, description and data, never an exception.</summary>
public static class HealthReportWriter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            Status = report.Status.ToString(),
            DurationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            Checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                Status = e.Value.Status.ToString(),
                e.Value.Description,
                DurationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
                e.Value.Data,
            }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, Json, context.RequestAborted);
    }
}
