using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PalmLab.Web.Data;
using PalmLab.Web.Extensions;
using PalmLab.Web.Options;
using PalmLab.Web.Runs;

namespace PalmLab.Tests.Web.Components;

/// <summary>The run pages' services over a seeded SQLite database, with the clock two hours after the seed's start.</summary>
public abstract class RunPagesTestBase : ComponentTestBase
{
    // Initialised before the base constructor calls AddServices.
    protected RunListSeed Seed { get; } = new();

    protected override void AddServices(IServiceCollection services)
    {
        services.AddLogging();
        services.AddSignalR();
        services.AddSingleton<IDbContextFactory<PalmLabDbContext>>(Seed.Factory);
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(RunListSeed.Start.AddHours(2)));
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new PalmLabOptions { CheckpointsDir = Path.Combine(Seed.Folder, "checkpoints"), BackbonesDir = Path.Combine(Seed.Folder, "backbones") }));
        services.AddSingleton<LiveRuns>();
        services.AddSingleton<RunSignal>();
        services.AddSingleton<RunNotifier>();
        services.AddSingleton(new ExecutorInstance("bunit"));
        services.AddSingleton<RunPlanner>();
        services.AddSingleton<RunRecorder>();
        services.AddSingleton<PalmLab.Web.Slurm.SlurmClient>();
        services.AddSingleton<PalmLab.Web.Slurm.SlurmExecutor>();
        // The pages train nothing here: any executor serves their cancels and stops.
        services.AddSingleton<PalmLab.Web.Executors.IRunExecutor>(s => s.GetRequiredService<PalmLab.Web.Slurm.SlurmExecutor>());
        services.AddSingleton<RunService>();
        // The read services the pages use, registered as the app registers them.
        services.AddPalmLabQueries();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Seed.Dispose();
    }
}
