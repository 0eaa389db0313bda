using Microsoft.EntityFrameworkCore;
using PalmLab.Web.Data;

namespace PalmLab.Web.Sweeps;

/// <summary>What the pages read about sweeps and saved presets.</summary>
public sealed class SweepQueries(IDbContextFactory<PalmLabDbContext> dbFactory)
{
    /// <summary>Every sweep, newest first, with its trials (<see cref="SweepReader.ListAsync"/>).</summary>
    public async Task<List<SweepView>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await SweepReader.ListAsync(db, cancellationToken);
    }

    /// <summary>One sweep with its trials, or null (<see cref="SweepReader.ReadAsync"/>).</summary>
    public async Task<SweepView?> ReadAsync(int sweepId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await SweepReader.ReadAsync(db, sweepId, cancellationToken);
    }

    /// <summary>The saved presets by name (the forms' starting points).</summary>
    public async Task<List<SavedPreset>> SavedPresetsAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.SavedPresets.AsNoTracking().OrderBy(p => p.Name).ToListAsync(cancellationToken);
    }
}
