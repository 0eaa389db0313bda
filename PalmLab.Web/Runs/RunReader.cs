using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using PalmLab.Engine.Training;
using PalmLab.Web.Api;
using PalmLab.Web.Data;

namespace PalmLab.Web.Runs;

/// <summary>Reads a run's loss curve and epochs, for the REST API and the run detail page alike.</summary>
public static class RunReader
{
    private static readonly string CurveSql = $"""
        SELECT "{nameof(BatchLoss.Step)}", "{nameof(BatchLoss.Epoch)}", "{nameof(BatchLoss.Loss)}", "{nameof(BatchLoss.LearningRate)}", "{nameof(BatchLoss.Fold)}"
        FROM "{nameof(PalmLabDbContext.BatchLosses)}"
        WHERE "{nameof(BatchLoss.RunId)}" = @run AND "{nameof(BatchLoss.Step)}" > @after AND "{nameof(BatchLoss.Step)}" <= @last
        ORDER BY "{nameof(BatchLoss.Step)}"
        """;

    /// <summary>
    /// The whole curve (null for an unknown run), as recorded from the run's reports.
    /// <paramref name="points"/> &gt; 0 thins it with <see cref="Downsampler.MinMax"/>; <paramref name="after"/> keeps only
    /// the steps after it (what a live chart missed while it was disconnected).
    /// </summary>
    /// <remarks>
    /// A curve longer than <paramref name="points"/> is thinned as it streams past, never held whole: a list of 100,000
    /// points read to keep 2,000 took most of a request's time.
    /// </remarks>
    public static async Task<IReadOnlyList<BatchPoint>?> ReadCurveAsync(
        IDbContextFactory<PalmLabDbContext> dbFactory, int id, int points, CancellationToken ct, long after = 0)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Runs.AnyAsync(r => r.Id == id, ct))
        {
            return null;
        }
        var rows = db.BatchLosses.Where(b => b.RunId == id && b.Step > after);
        // From the index alone; the reads below stop at this last step, so the count holds for them.
        var stored = await rows.GroupBy(b => b.RunId).Select(g => new { Count = g.Count(), Last = g.Max(b => b.Step) }).SingleOrDefaultAsync(ct);
        var last = stored?.Last ?? after;
        var count = stored?.Count ?? 0;
        // A plain reader over the context's connection: on a 100,000-point curve EF Core's materialization of each row
        // cost more than SQLite's reading it (bench `scale`). SQLite reads synchronously either way; PostgreSQL's rows
        // arrive in buffers, so a synchronous Read mostly takes a row already received.
        await db.Database.OpenConnectionAsync(ct);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = CurveSql;
        AddParameter(command, "@run", id);
        AddParameter(command, "@after", after);
        AddParameter(command, "@last", last);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (points <= 0 || count <= points)
        {
            var all = new List<BatchPoint>();
            while (reader.Read())
            {
                all.Add(ReadPoint(reader));
            }
            return all;
        }

        var thinning = new MinMaxThinning<BatchPoint>(count, points);
        while (reader.Read())
        {
            ct.ThrowIfCancellationRequested();
            thinning.Add(reader.GetInt64(0), reader.GetDouble(2), ReadPoint, reader);
        }
        return thinning.Finish();
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static BatchPoint ReadPoint(DbDataReader row) =>
        new(row.GetInt64(0), row.GetInt32(1), row.GetDouble(2), row.GetDouble(3), row.IsDBNull(4) ? null : row.GetInt32(4));

    /// <summary>
    /// The last step of each epoch that has batches (of each fold's epochs, for a cross-validated run), in step order:
    /// where the loss chart marks boundaries.
    /// </summary>
    public static async Task<Dictionary<(int? Fold, int Epoch), long>> ReadEpochEndsAsync(IDbContextFactory<PalmLabDbContext> dbFactory, int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await db.BatchLosses.Where(b => b.RunId == id).GroupBy(b => new { b.Fold, b.Epoch })
            .Select(g => new { g.Key.Fold, g.Key.Epoch, Step = g.Max(b => b.Step) }).ToListAsync(ct))
            .ToDictionary(e => (e.Fold, e.Epoch), e => e.Step);
    }

    /// <summary>
    /// The most batches any epoch of the run holds (any fold's epoch, for a cross-validated run):
    /// what places a thinned curve on an epoch axis. Counted from the index.
    /// </summary>
    public static async Task<int> ReadBatchesPerEpochAsync(IDbContextFactory<PalmLabDbContext> dbFactory, int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var counts = await db.BatchLosses.Where(b => b.RunId == id).GroupBy(b => new { b.Fold, b.Epoch })
            .Select(g => g.Count()).ToListAsync(ct);
        return counts.Count > 0 ? counts.Max() : 0;
    }

    /// <summary>
    /// The run's epochs in order as the engine reported them (of one fold, 1..K, of a cross-validated run; an ordinary
    /// run's with <paramref name="fold"/> null), or null for an unknown run.
    /// </summary>
    public static async Task<List<EpochResult>?> ReadEpochsAsync(IDbContextFactory<PalmLabDbContext> dbFactory, int id, CancellationToken ct, int? fold = null) =>
        (await ReadFoldEpochsAsync(dbFactory, id, ct))?.Where(e => e.Fold == fold).Select(e => e.Epoch).ToList();

    /// <summary>Every epoch of the run (of every fold, when it is cross-validated) by fold and epoch, or null for an unknown run.</summary>
    public static async Task<List<FoldEpoch>?> ReadFoldEpochsAsync(IDbContextFactory<PalmLabDbContext> dbFactory, int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var options = await db.Runs.Where(r => r.Id == id).Select(r => r.Options).SingleOrDefaultAsync(ct);
        if (options is null)
        {
            return null;
        }
        return (await db.EpochMetrics.Where(m => m.RunId == id).OrderBy(m => m.Fold).ThenBy(m => m.Epoch).ToListAsync(ct))
            .Select(m => new FoldEpoch(m.Fold, m.ToResult(options))).ToList();
    }
}
