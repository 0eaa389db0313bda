using Microsoft.Extensions.Options;
using PalmLab.Web.Data;
using PalmLab.Web.Executors.Local;
using PalmLab.Web.Options;
using PalmLab.Web.Slurm;

namespace PalmLab.Web.Executors;

public static class ExecutorRegistration
{
    /// <summary>Both executors, and <see cref="IRunExecutor"/> as the one PalmLab:Executor names, chosen here once.</summary>
    public static IServiceCollection AddPalmLabExecutors(this IServiceCollection services)
    {
        services.AddSingleton<DashboardAddress>();
        services.AddSingleton<LocalRunExecutor>();
        // Its graceful stop comes before the server's (IHostedLifecycleService.StoppingAsync).
        services.AddHostedService(s => s.GetRequiredService<LocalRunExecutor>());
        services.AddSingleton<SlurmExecutor>();
        services.AddSingleton<IRunExecutor>(s => s.GetRequiredService<IOptions<PalmLabOptions>>().Value.Executor == RunExecutors.Slurm
            ? s.GetRequiredService<SlurmExecutor>()
            : s.GetRequiredService<LocalRunExecutor>());
        return services;
    }
}
