using Microsoft.EntityFrameworkCore;
using PalmLab.Engine.Training;
using PalmLab.Web.Data;

namespace PalmLab.Web.Sweeps;

/// <summary>Finds a preset by name: a built-in one first, then one saved from a sweep.</summary>
public static class PresetLookup
{
    /// <summary>The preset's options, or null with a message listing the presets there are.</summary>
    public static async Task<(TrainingOptions? Options, string? Error)> FindAsync(PalmLabDbContext db, string name, CancellationToken cancellationToken)
    {
        if (TrainingPresets.All.TryGetValue(name, out var builtIn))
        {
            return (builtIn, null);
        }
        var saved = await db.SavedPresets.AsNoTracking().SingleOrDefaultAsync(p => p.Name == name.Trim(), cancellationToken);
        if (saved is not null)
        {
            return (saved.Options, null);
        }
        var names = TrainingPresets.All.Keys.Concat(await db.SavedPresets.OrderBy(p => p.Name).Select(p => p.Name).ToListAsync(cancellationToken));
        return (null, $"'{name}' is not one of {string.Join(", ", names)}");
    }
}
