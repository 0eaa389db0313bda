using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PalmLab.Web.Options;
using PalmLab.Engine.Training;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Web.Sweeps;

/// <summary>What a user can do to sweeps: plan and queue one, cancel it, save its best trial as a preset. Shared by the API and the pages.</summary>
public sealed class SweepService(
    IDbContextFactory<PalmLabDbContext> dbFactory,
    RunService runs,
    RunSignal signal,
    RunNotifier notifier,
    TimeProvider time,
    IOptions<PalmLabOptions> options,
    ILogger<SweepService> logger)
{
    /// <summary>Checks and expands a request without queueing anything (the form shows the trial count and the refusals as the user types).</summary>
    public async Task<SweepPlan> PlanAsync(SweepRequest request, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return (await PlanAsync(db, request, cancellationToken)).Plan;
    }

    /// <summary>Queues every trial of the sweep as a run, or returns the problems with the request, one list per field.</summary>
    public async Task<(Sweep? Sweep, Dictionary<string, string[]> Errors)> CreateAsync(SweepRequest request, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (plan, dataSet) = await PlanAsync(db, request, cancellationToken);
        if (!plan.IsValid)
        {
            return (null, plan.Errors);
        }
        var spec = plan.Spec!;
        var now = time.GetUtcNow();
        var sweep = new Sweep
        {
            Name = request.Name?.Trim() ?? "",
            DataSetId = dataSet!.Id,
            BaseOptions = spec.Base,
            SpaceJson = spec.Space.ToJson(),
            Strategy = spec.Strategy,
            Seed = spec.Seed,
            TrialCount = plan.Trials.Count,
            Metric = spec.Metric,
            Budget = spec.Budget,
            StopMinEpochs = spec.Stopping?.MinEpochs,
            StopMinCompletedTrials = spec.Stopping?.MinCompletedTrials,
            Status = SweepStatus.Running,
            CreatedAt = now,
        };
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.Sweeps.Add(sweep);
            await db.SaveChangesAsync(cancellationToken);
            if (string.IsNullOrWhiteSpace(sweep.Name))
            {
                sweep.Name = $"sweep {sweep.Id}: {string.Join(", ", spec.Space.Dimensions.Select(d => d.TrainingOption.JsonName))} on {dataSet.Name}";
            }
            db.Runs.AddRange(plan.Trials.Select(trial => new Run
            {
                Name = $"sweep {sweep.Id} · trial {trial.Number}",
                Status = RunStatus.Queued,
                DataSetId = dataSet.Id,
                Options = SweepPlanner.TrialOptions(trial, dataSet),
                Notes = $"Trial {trial.Number} of sweep {sweep.Id} (\u201c{sweep.Name}\u201d): {trial.Describe()}",
                Tags = $"sweep-{sweep.Id}",
                SweepId = sweep.Id,
                CreatedAt = now,
            }));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        logger.LogInformation("Sweep {SweepId} queued: {Name}, {Trials} trials ({Strategy}) on data set {DataSet}",
            sweep.Id, LogText.Of(sweep.Name), sweep.TrialCount, sweep.Strategy, dataSet.Name);
        foreach (var runId in await db.Runs.Where(r => r.SweepId == sweep.Id).Select(r => r.Id).ToListAsync(cancellationToken))
        {
            await notifier.StatusChangedAsync(runId, RunStatus.Queued, null);
        }
        signal.Wake();
        return (sweep, []);
    }

    /// <summary>Cancels the sweep's queued and running trials; finished trials are kept.</summary>
    public async Task<SweepActionResult> CancelAsync(int sweepId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sweep = await db.Sweeps.FindAsync([sweepId], cancellationToken);
        if (sweep is null)
        {
            return SweepActionResult.NotFound;
        }
        if (sweep.Status != SweepStatus.Running)
        {
            return SweepActionResult.Conflict($"Sweep {sweepId} is {sweep.Status}, not running.");
        }
        // Cancelled first, so the trials ending one by one never mark it Completed.
        sweep.Status = SweepStatus.Cancelled;
        sweep.FinishedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        var active = await db.Runs.Where(r => r.SweepId == sweepId && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running))
            .Select(r => r.Id).ToListAsync(cancellationToken);
        foreach (var runId in active)
        {
            await runs.CancelAsync(runId, cancellationToken);
        }
        logger.LogInformation("Sweep {SweepId} cancelled: {Trials} queued or running trials cancelled", sweepId, active.Count);
        return SweepActionResult.Done;
    }

    /// <summary>Saves the options of the sweep's best completed trial as a preset called <paramref name="name"/>.</summary>
    public async Task<(SavedPreset? Preset, SweepActionResult Result, Dictionary<string, string[]> Errors)> SavePresetAsync(
        int sweepId, string? name, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sweep = await SweepReader.ReadAsync(db, sweepId, cancellationToken);
        if (sweep is null)
        {
            return (null, SweepActionResult.NotFound, []);
        }
        if (SavedPresetRules.Check(name) is { } problem)
        {
            return (null, SweepActionResult.Done, new() { ["name"] = [problem] });
        }
        var trimmed = name!.Trim();
        if (await db.SavedPresets.AnyAsync(p => p.Name == trimmed, cancellationToken))
        {
            return (null, SweepActionResult.Done, new() { ["name"] = [$"a preset called '{trimmed}' exists already; choose another name"] });
        }
        if (sweep.Best is not { } best)
        {
            return (null, SweepActionResult.Conflict($"Sweep {sweepId} has no completed trial with a {sweep.MetricLabel} yet."), []);
        }
        var preset = new SavedPreset { Name = trimmed, Options = best.Options, FromSweepId = sweepId, FromRunId = best.RunId, CreatedAt = time.GetUtcNow() };
        db.SavedPresets.Add(preset);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Preset {Preset} saved from run {RunId}, the best trial of sweep {SweepId}", trimmed, best.RunId, sweepId);
        return (preset, SweepActionResult.Done, []);
    }

    private async Task<(SweepPlan Plan, DataSet? DataSet)> PlanAsync(PalmLabDbContext db, SweepRequest request, CancellationToken cancellationToken)
    {
        var dataSet = request.DataSetId is { } id ? await db.DataSets.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, cancellationToken)
            : request.DataSet is { } name ? await db.DataSets.AsNoTracking().SingleOrDefaultAsync(d => d.Name == name, cancellationToken)
            : null;
        var (start, startError) = await StartAsync(db, request, cancellationToken);
        return (SweepPlanner.Plan(request, dataSet, start, startError, options.Value.BackbonesDir), dataSet);
    }

    // Where the base options come from: a run, a preset (built-in or saved), or the reference recipe.
    private static async Task<(TrainingOptions?, (string, string)?)> StartAsync(PalmLabDbContext db, SweepRequest request, CancellationToken cancellationToken)
    {
        if (request.BaseRunId is { } runId)
        {
            if (request.Preset is not null)
            {
                return (null, ("preset", "give a preset or a base run, not both"));
            }
            var options = await db.Runs.Where(r => r.Id == runId).Select(r => r.Options).SingleOrDefaultAsync(cancellationToken);
            return options is null ? (null, ("baseRunId", $"no run {runId}")) : (options, null);
        }
        if (request.Preset is { } preset)
        {
            var (options, error) = await PresetLookup.FindAsync(db, preset, cancellationToken);
            return error is null ? (options, null) : (null, ("preset", error));
        }
        return (TrainingPresets.Reference, null);
    }
}
