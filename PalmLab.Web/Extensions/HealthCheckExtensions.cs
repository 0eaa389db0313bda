using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using PalmLab.Web.Health;

namespace PalmLab.Web.Extensions;

/// <summary>
/// GET /health: the database and the training worker; 200 when both are healthy, 503 otherwise. Open without sign-in,
/// for load balancers and scripts that wait for the app, and it names nothing secret.
/// </summary>
public static class HealthCheckExtensions
{
    public const string Path = "/health";

    public static IServiceCollection AddPalmLabHealthChecks(this IServiceCollection services)
    {
        services.AddSingleton<DatabaseFileWatch>();
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<WorkerHealthCheck>("worker");
        return services;
    }

    public static WebApplication MapPalmLabHealthChecks(this WebApplication app)
    {
        app.MapHealthChecks(Path, new HealthCheckOptions { ResponseWriter = HealthReportWriter.WriteAsync })
            .AllowAnonymous()
            .WithName("Health")
            .WithSummary("The database and the training worker: 200 when healthy, 503 when not");
        return app;
    }
}
