using PalmLab.Engine.Training;
using PalmLab.Web.Components.Shared;

namespace PalmLab.Web.Components.Pages.NewRun;

/// <summary>
/// The learning rate a run will use at each optimizer step, from the engine's own <see cref="LrSchedule"/> and the
/// trainer's batch plan, thinned to at most <see cref="MaxPoints"/> points so a long run stays cheap to draw.
/// </summary>
public static class LrCurve
{
    public const int MaxPoints = 2000;

    /// <summary>Optimizer steps of a run: epochs times the batches of an epoch (a last batch of one image is merged).</summary>
    public static long TotalSteps(TrainingOptions options, int trainImages) =>
        trainImages <= 0 || options.BatchSize < 2 || options.Epochs < 1
            ? 0
            : (long)Trainer.BatchPlan(trainImages, options.BatchSize).Count * options.Epochs;

    /// <summary>
    /// (step, rate) from the first step to the last: every step when there are few, otherwise evenly spaced steps plus
    /// the steps where the curve bends (end of warm-up and decay, each drop of the step schedule), so no corner is cut.
    /// </summary>
    public static IReadOnlyList<ChartPoint> Points(TrainingOptions options, long totalSteps)
    {
        if (totalSteps <= 0)
        {
            return [];
        }
        var steps = new SortedSet<long>();
        var last = totalSteps - 1;
        if (totalSteps <= MaxPoints)
        {
            for (long s = 0; s < totalSteps; s++) steps.Add(s);
        }
        else
        {
            var corners = Corners(options, totalSteps).Where(s => s >= 0 && s <= last).Take(MaxPoints / 4).ToList();
            var even = MaxPoints - corners.Count;
            for (var i = 0; i < even; i++) steps.Add((long)Math.Round((double)i * last / (even - 1)));
            steps.UnionWith(corners);
        }
        // Steps count from 1 on the chart, as the run page's loss chart does.
        return steps.Select(s => new ChartPoint(s + 1, LrSchedule.At(options, s, totalSteps))).ToList();
    }

    // Each bend as the pair of steps on both sides of it, so a straight line between the thinned points keeps its shape.
    private static IEnumerable<long> Corners(TrainingOptions options, long totalSteps)
    {
        IEnumerable<long> Around(double step) => [(long)Math.Floor(step) - 1, (long)Math.Floor(step), (long)Math.Ceiling(step)];

        if (options.WarmupSteps > 0)
        {
            foreach (var s in Around(options.WarmupSteps)) yield return s;
        }
        if (options.Schedule is LrScheduleKind.Polynomial or LrScheduleKind.Cosine && options.DecaySteps is { } decay)
        {
            foreach (var s in Around(decay)) yield return s;
        }
        if (options.Schedule == LrScheduleKind.Step)
        {
            var size = options.StepSize ?? Math.Max(1, totalSteps / 3);
            for (var drop = size; drop < totalSteps; drop += size)
            {
                foreach (var s in Around(drop)) yield return s;
            }
        }
    }
}
