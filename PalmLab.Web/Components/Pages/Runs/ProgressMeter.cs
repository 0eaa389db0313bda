using PalmLab.Web.Runs;

namespace PalmLab.Web.Components.Pages.Runs;

/// <summary>
/// Where a training run stands: epoch e of E, batch b of B, images per second over the last half minute of batches
/// (timed by the <see cref="TimeProvider"/>, as they arrive) and the time left at that speed. A cross-validated run
/// (<paramref name="folds"/> &gt; 1) trains every fold's epochs in turn: its fold is the last batch's, its time left counts all folds.
/// </summary>
public sealed class ProgressMeter(TimeProvider time, int epochs, int batchesPerEpoch, int batchSize, int folds = 1)
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(30);

    private readonly Queue<(DateTimeOffset At, long Step)> _samples = new();

    public int Epochs => epochs;

    public int Folds => folds;

    /// <summary>The fold in training (1..K; 1 for an ordinary run).</summary>
    public int Fold { get; private set; } = 1;

    public int BatchesPerEpoch => batchesPerEpoch;

    public long Step { get; private set; }

    public int Epoch { get; private set; } = 1;

    /// <summary>The batch within the current epoch, 1-based (0 before the first).</summary>
    public int Batch => Step == 0 ? 0 : (int)((Step - 1) % batchesPerEpoch) + 1;

    public double? ImagesPerSecond { get; private set; }

    public TimeSpan? Remaining => ImagesPerSecond is { } rate && rate > 0
        ? TimeSpan.FromSeconds((TotalSteps - Step) * (double)batchSize / rate)
        : null;

    public long TotalSteps => (long)folds * epochs * batchesPerEpoch;

    public double Percent => TotalSteps == 0 ? 0 : Math.Clamp(100.0 * Step / TotalSteps, 0, 100);

    /// <summary>
    /// Starts from the last point already read. Until live batches give a measured speed, the speed is the run's
    /// average since <paramref name="startedAt"/> (validation included), so a page opened mid-run shows a time left at once.
    /// </summary>
    public void Start(BatchPoint? last, DateTimeOffset? startedAt = null)
    {
        if (last is null)
        {
            return;
        }
        (Step, Epoch, Fold) = (last.Step, last.Epoch, last.Fold ?? 1);
        var seconds = startedAt is { } started ? (time.GetUtcNow() - started).TotalSeconds : 0;
        if (seconds > 0)
        {
            ImagesPerSecond = Step * batchSize / seconds;
        }
    }

    public void Observe(IReadOnlyList<BatchPoint> points)
    {
        if (points.Count == 0 || points[^1].Step <= Step)
        {
            return;
        }
        var now = time.GetUtcNow();
        (Step, Epoch, Fold) = (points[^1].Step, points[^1].Epoch, points[^1].Fold ?? 1);
        _samples.Enqueue((now, Step));
        while (_samples.Count > 2 && now - _samples.Peek().At > Window)
        {
            _samples.Dequeue();
        }
        var (firstAt, firstStep) = _samples.Peek();
        var seconds = (now - firstAt).TotalSeconds;
        ImagesPerSecond = seconds > 0 ? (Step - firstStep) * batchSize / seconds : ImagesPerSecond;
    }
}
