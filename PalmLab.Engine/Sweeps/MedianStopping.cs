namespace PalmLab.Engine.Sweeps;

/// <summary>
/// The median-stopping rule: from epoch <see cref="MinEpochs"/> on (counted within each fold for a cross-validated
/// trial), a running trial whose metric at a point (<see cref="SweepPoint"/>) is strictly below the median of the
/// completed trials' metric at the same point is stopped, once at least <see cref="MinCompletedTrials"/> completed trials
/// have a value there. Trials stopped early do not count as completed. A pure rule: it holds no state.
/// </summary>
public sealed record MedianStopping(int MinEpochs = MedianStopping.DefaultMinEpochs, int MinCompletedTrials = MedianStopping.DefaultMinCompletedTrials)
{
    public const int DefaultMinEpochs = 2;
    public const int DefaultMinCompletedTrials = 2;

    /// <summary>Whether a trial at <paramref name="point"/> with <paramref name="value"/> should stop, given the completed trials' curves.</summary>
    public bool ShouldStop(IEnumerable<IReadOnlyDictionary<SweepPoint, double>> completed, SweepPoint point, double value)
    {
        if (point.Epoch < MinEpochs || double.IsNaN(value))
        {
            return false;
        }
        var others = completed.Select(c => c.TryGetValue(point, out var v) ? v : double.NaN).Where(v => !double.IsNaN(v)).ToList();
        return others.Count >= Math.Max(1, MinCompletedTrials) && value < Median(others);
    }

    /// <summary>The median (the mean of the middle two for an even count).</summary>
    public static double Median(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("The median of no values is undefined.", nameof(values));
        }
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>Problems with the settings, named as the sweep file names them.</summary>
    public IEnumerable<Training.OptionError> Validate()
    {
        if (MinEpochs < 1)
        {
            yield return new Training.OptionError("MedianStopping", $"minEpochs must be 1 or more, not {MinEpochs}");
        }
        if (MinCompletedTrials < 1)
        {
            yield return new Training.OptionError("MedianStopping", $"minCompletedTrials must be 1 or more, not {MinCompletedTrials}");
        }
    }
}
