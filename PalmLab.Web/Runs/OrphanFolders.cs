using Microsoft.EntityFrameworkCore;
using PalmLab.Engine;
using PalmLab.Engine.Training;
using PalmLab.Web.Data;

namespace PalmLab.Web.Runs;

/// <summary>
/// At start-up, before any run trains: every run-N folder under a checkpoints folder that no run of this database owns
/// (no run N, or run N of another identity: the database was replaced, or another database shares the folder) is moved
/// aside to orphaned-run-N-IDENTITY and reported, so a new run N never adopts, trains on or deletes its files.
/// </summary>
public static class OrphanFolders
{
    /// <summary>Moves the orphans of <paramref name="checkpointsDir"/> aside; returns where each went.</summary>
    public static async Task<IReadOnlyList<string>> SweepAsync(PalmLabDbContext db, string checkpointsDir, ILogger logger, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(checkpointsDir))
        {
            return [];
        }
        var runs = await db.Runs.AsNoTracking().Select(r => new { r.Id, r.Uid, r.CreatedAt }).ToDictionaryAsync(r => r.Id, cancellationToken);
        var moved = new List<string>();
        foreach (var folder in Directory.EnumerateDirectories(checkpointsDir, RunFolder.NamePattern).Order(StringComparer.Ordinal).ToList())
        {
            if (!RunFolder.TryParseName(Path.GetFileName(folder), out var runId))
            {
                continue;
            }
            var marker = RunFiles.ReadMarker(folder);
            var run = runs.GetValueOrDefault(runId);
            if (run is not null && marker?.Uid == run.Uid)
            {
                continue;
            }
            if (run is not null && marker is null && IsLegacyFolderOf(folder, run.CreatedAt))
            {
                RunFiles.WriteMarker(folder, new RunFiles.Marker(runId, run.Uid, Legacy: true));
                logger.LogInformation("Checkpoint folder {Folder} predates run identities; adopted by run {RunId}, whose checkpoints it holds", folder, runId);
                continue;
            }
            var to = RunFiles.MoveAside(folder);
            moved.Add(to);
            logger.LogWarning("Checkpoint folder {Folder} belongs to no run of this database ({Why}); moved aside to {MovedTo} and never used. Delete it when it is not needed",
                folder, run is null ? $"there is no run {runId}" : $"run {runId} is another run", to);
        }
        var orphans = Directory.EnumerateDirectories(checkpointsDir, "orphaned-run-*").Count();
        if (orphans > 0)
        {
            logger.LogWarning("{Count} orphaned checkpoint folder(s) that no run owns are in {CheckpointsDir}", orphans, checkpointsDir);
        }
        return moved;
    }

    // A folder written before identities existed is adopted by its run only when every checkpoint in it (and its folds)
    // carries no identity and was written after the run was created: a checkpoint older than its run is an earlier
    // database's run of the same number.
    private static bool IsLegacyFolderOf(string folder, DateTimeOffset createdAt)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*.ckpt", SearchOption.AllDirectories))
        {
            try
            {
                if (Checkpoint.ReadHeader(file).RunUid is not null || File.GetLastWriteTimeUtc(file) < createdAt.UtcDateTime)
                {
                    return false;
                }
            }
            catch (PalmLabException)
            {
                return false;
            }
        }
        return true;
    }
}
