using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using PalmLab.Web.Data;
using PalmLab.Web.DataSets;
using PalmLab.Web.Executors;
using PalmLab.Web.Options;
using PalmLab.Web.Runs;
using PalmLab.Web.Slurm;
using PalmLab.Web.Sweeps;

namespace PalmLab.Web.Extensions;

public static class WebApplicationBuilderExtensions
{
    public static WebApplicationBuilder AddPalmLabWeb(this WebApplicationBuilder builder)
    {
        // MudBlazor's _content/ files and the framework scripts are served from the build output only in Development
        // unless asked: `dotnet run` runs in Production.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddOptions<PalmLabOptions>()
            .BindConfiguration(PalmLabOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(services => DatabaseProvider.From(services.GetRequiredService<IOptions<PalmLabOptions>>().Value));
        builder.Services.AddDbContextFactory<PalmLabDbContext, PalmLabDbContextFactory>((services, db) =>
            services.GetRequiredService<DatabaseProvider>().Configure(db));

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RunSignal>();
        builder.Services.AddSingleton<LiveRuns>();
        builder.Services.AddSingleton<RunNotifier>();
        builder.Services.AddHostedService(services => services.GetRequiredService<RunNotifier>());
        builder.Services.AddOptions<LeaseOptions>()
            .BindConfiguration(LeaseOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ExecutorInstance>();
        builder.Services.AddSingleton<RunRecovery>();
        builder.Services.AddSingleton<RunLeases>();
        builder.Services.AddHostedService(services => services.GetRequiredService<RunLeases>());
        builder.Services.AddSingleton<RunQueue>();
        builder.Services.AddSingleton<RunPlanner>();
        builder.Services.AddSingleton<RunRecorder>();
        builder.Services.AddSingleton<SlurmClient>();
        builder.Services.AddPalmLabExecutors();
        builder.Services.AddSingleton<JobReportRecorder>();
        builder.Services.AddHostedService<SlurmMonitor>();
        builder.Services.AddSingleton<RunService>();
        builder.Services.AddSingleton<DataSetRegistry>();
        builder.Services.AddSingleton<DataSetImports>();
        builder.Services.AddSingleton<WorkerHeartbeat>();
        builder.Services.AddHostedService<TrainingWorker>();
        builder.Services.AddSingleton<SweepService>();
        builder.Services.AddSingleton<SweepMonitor>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SweepMonitor>());
        builder.Services.AddPalmLabQueries();
        builder.Services.AddPalmLabPredictions();
        builder.Services.AddPalmLabHealthChecks();
        builder.Services.AddPalmLabErrorHandling();
        builder.Services.AddPalmLabSecurity();

        builder.Services.AddSignalR();
        builder.Services.AddOpenApi();
        // Enums by name; a metric that is not finite is written as "NaN" or "Infinity" rather than failing the answer.
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            json.SerializerOptions.NumberHandling |= JsonNumberHandling.AllowNamedFloatingPointLiterals;
        });
        builder.Services.AddSignalR().AddJsonProtocol(json =>
        {
            json.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter());
            json.PayloadSerializerOptions.NumberHandling |= JsonNumberHandling.AllowNamedFloatingPointLiterals;
        });

        builder.Services.AddRazorComponents()
            .AddInteractiveServerComponents();
        builder.Services.AddMudServices();

        return builder;
    }
}
