using System.Globalization;
using PalmLab.Engine.Training;

namespace PalmLab.Engine.Sweeps;

/// <summary>
/// The values one option takes in a sweep: a list (<see cref="Values"/>, each already of the option's type, such as
/// <c>int</c>, <c>double</c>, <c>bool</c>, an enum or null) or a <see cref="Range"/> of a numeric option.
/// </summary>
public sealed record SweepDimension
{
    /// <summary>The option's property name, as <see cref="OptionError.Option"/> carries it: <c>LearningRate</c>.</summary>
    public required string Option { get; init; }

    public IReadOnlyList<object?>? Values { get; init; }

    public SweepRange? Range { get; init; }

    /// <summary>The catalogue entry of <see cref="Option"/>.</summary>
    public TrainingOption TrainingOption => Training.TrainingOption.Find(Option)
        ?? throw new PalmLabException($"'{Option}' is not a training option.");

    private bool IsInteger => TrainingOption.Type == typeof(int);

    /// <summary>How many grid points the dimension has; null for a range without count or step (it has no grid).</summary>
    public long? GridCount => Values is not null ? Values.Count
        : Range is not { } r ? 0
        : r.Count is not null ? GridValues().Count
        : r.Step is { } step ? StepCount(r, step)
        : null;

    /// <summary>The values a grid takes, in order (a list as given; a range from min to max).</summary>
    /// <exception cref="InvalidOperationException">A range without count or step, or one with more than 1,000 steps.</exception>
    public IReadOnlyList<object?> GridValues()
    {
        if (Values is not null)
        {
            return Values;
        }
        var r = Range ?? throw new InvalidOperationException($"{Option} has neither values nor a range.");
        if (r.Count is { } count)
        {
            return Enumerable.Range(0, count).Select(i => AtFraction(r, count == 1 ? 0 : (double)i / (count - 1))).Distinct().ToList();
        }
        if (r.Step is { } step && StepCount(r, step) is var steps && steps <= SweepRange.MaxCount)
        {
            return Enumerable.Range(0, (int)steps).Select(i => Typed(r.Min + i * step)).Distinct().ToList();
        }
        throw new InvalidOperationException($"{Option} has a range without a count or a small enough step, so it has no grid.");
    }

    /// <summary>One random value: an item of the list, a point of a discrete range, or a uniform draw (log-uniform on a log scale).</summary>
    public object? Draw(Random random)
    {
        if (Values is not null)
        {
            return Values[random.Next(Values.Count)];
        }
        var r = Range ?? throw new InvalidOperationException($"{Option} has neither values nor a range.");
        if (r.Count is not null)
        {
            var points = GridValues();
            return points[random.Next(points.Count)];
        }
        if (r.Step is { } step)
        {
            return Typed(r.Min + random.NextInt64(StepCount(r, step)) * step);
        }
        if (IsInteger)
        {
            // Whole numbers each get an equal share of the (log-)interval around them, ends included.
            var low = r.Min - 0.5;
            var high = r.Max + 0.5;
            // A log range of whole numbers starts at 1 or more, so low is above 0.
            var drawn = AtFraction01(new SweepRange(low, high, r.Scale), random.NextDouble());
            return (int)Math.Clamp(Math.Round(drawn, MidpointRounding.AwayFromZero), r.Min, r.Max);
        }
        // Four significant digits: a drawn learning rate reads (and is typed back) as 0.01234, not 0.012345678901.
        return Math.Clamp(Significant(AtFraction01(r, random.NextDouble()), 4), r.Min, r.Max);
    }

    /// <summary>"depth: [18, 34]" or "learningRate: 0.001 to 0.1, log, 5 points".</summary>
    public override string ToString()
    {
        var name = TrainingOption.JsonName;
        if (Values is not null)
        {
            return $"{name}: [{string.Join(", ", Values.Select(Format))}]";
        }
        var r = Range!;
        var text = FormattableString.Invariant($"{name}: {r.Min} to {r.Max}, {r.Scale.ToString().ToLowerInvariant()}");
        return text + (r.Count is { } c ? $", {c} points" : r.Step is { } s ? FormattableString.Invariant($", step {s}") : "");
    }

    /// <summary>A value as a user types it: 0.01, true, cosine, null.</summary>
    public static string Format(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        Enum e => e.ToString().ToLowerInvariant(),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    internal static long StepCount(SweepRange r, double step) =>
        // A little slack, so 0.1 to 0.3 by 0.1 has three points despite binary fractions.
        (long)Math.Min(Math.Floor((r.Max - r.Min) / step + 1e-9), long.MaxValue - 1) + 1;

    private object AtFraction(SweepRange r, double fraction) => Typed(AtFraction01(r, fraction));

    private static double AtFraction01(SweepRange r, double fraction) => r.Scale == SweepScale.Log
        ? Math.Exp(Math.Log(r.Min) + fraction * (Math.Log(r.Max) - Math.Log(r.Min)))
        : r.Min + fraction * (r.Max - r.Min);

    private object Typed(double value) => IsInteger
        ? (int)Math.Round(value, MidpointRounding.AwayFromZero)
        : (object)Significant(value, 12);

    private static double Significant(double value, int digits) =>
        value == 0 ? 0 : double.Parse(value.ToString("G" + digits, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
