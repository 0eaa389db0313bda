using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PalmLab.Web.Data;
using PalmLab.Web.Options;

namespace PalmLab.Web.Runs;

/// <summary>
/// Every <see cref="LeaseOptions.RenewEvery"/>: renews the leases of the runs this dashboard owns, so no other dashboard
/// takes them for lost, and ends other dashboards' runs whose lease has passed (<see cref="RunRecovery"/>), so the runs
/// of a dashboard that never comes back end Interrupted and can be resumed.
/// </summary>
public sealed class RunLeases(
    IDbContextFactory<PalmLabDbContext> dbFactory,
    ExecutorInstance instance,
    RunRecovery recovery,
    IOptions<LeaseOptions> options,
    TimeProvider time,
    ILogger<RunLeases> logger) : BackgroundService
{
    // Made here, not in ExecuteAsync (which starts on a pool thread), so the timer exists when StartAsync returns and a
    // clock advanced right after starting moves it.
    private readonly PeriodicTimer _timer = new(options.Value.RenewEvery, time);

    /// <summary>One round: renews this dashboard's leases, then interrupts other dashboards' runs whose lease passed.</summary>
    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await RunLifecycle.RenewLeasesAsync(db, instance.Id, time.GetUtcNow() + options.Value.Duration, cancellationToken);
        }
        await recovery.InterruptExpiredAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        do
        {
            try
            {
                await RenewAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A busy or unreachable database: the lease is several periods long, so the next round still renews in time.
                logger.LogWarning(e, "Renewing the leases of the runs of PalmLab {Instance} failed; trying again", instance.Id);
            }
        }
        while (await WaitAsync(_timer, stoppingToken));
    }

    public override void Dispose()
    {
        _timer.Dispose();
        base.Dispose();
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
