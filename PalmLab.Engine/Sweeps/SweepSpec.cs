using System.Text.Json.Serialization;
using PalmLab.Engine.Training;

namespace PalmLab.Engine.Sweeps;

/// <summary>
/// A whole sweep: the base options (a preset with overrides; with <see cref="TrainingOptions.Folds"/> every trial is
/// cross-validated), the <see cref="Space"/> laid over them, the strategy, the metric to maximise, a budget and
/// median stopping. <see cref="Trials"/> expands it; <see cref="SweepSpecFile.Parse(string, SweepOverrides?)"/> reads the file format.
/// </summary>
public sealed record SweepSpec
{
    /// <summary>The most trials a grid may have (before the budget); a larger grid is refused.</summary>
    public const int MaxGridTrials = 1000;

    /// <summary>The most trials random search may draw.</summary>
    public const int MaxRandomTrials = 1000;

    public const int DefaultRandomTrials = 10;

    /// <summary>The preset the base started from (null: reference); informative, <see cref="Base"/> is what is used.</summary>
    public string? Preset { get; init; }

    public TrainingOptions Base { get; init; } = new();

    public SweepSpace Space { get; init; } = SweepSpace.Empty;

    public SweepStrategy Strategy { get; init; } = SweepStrategy.Grid;

    /// <summary>How many trials random search draws (fewer when the space has fewer distinct points); unused by a grid.</summary>
    public int RandomTrials { get; init; } = DefaultRandomTrials;

    /// <summary>Seeds random search's draws (not the trials' training, which <see cref="TrainingOptions.Seed"/> seeds).</summary>
    public int Seed { get; init; }

    public SweepMetric Metric { get; init; } = SweepMetric.Auc;

    /// <summary>At most this many trials run: a grid's first ones in its order, random search's first draws. Null: no cap.</summary>
    public int? Budget { get; init; }

    /// <summary>Median stopping; null runs every trial to its end.</summary>
    public MedianStopping? Stopping { get; init; } = new();

    /// <summary>
    /// Where swept backbones are looked for besides the built-in ones (<see cref="TrainingConfig.BackbonesDir"/>): where the
    /// sweep runs, not what it is, so it is not written with it.
    /// </summary>
    [JsonIgnore]
    public string? BackbonesDir { get; init; }

    /// <summary>The metric's value in an epoch (null without validation, or AUC when the validation has one class).</summary>
    public double? MetricOf(EpochResult epoch) => Metric == SweepMetric.Accuracy ? epoch.Validation?.Accuracy : epoch.Validation?.Auc;

    /// <summary>The metric's name as epochs.csv and <see cref="CrossValidation.Metrics"/> name it: "auc" or "accuracy".</summary>
    [JsonIgnore]
    public string MetricName => Metric == SweepMetric.Accuracy ? "accuracy" : "auc";

    /// <summary>Every problem with the sweep, each naming its option or setting; empty when <see cref="Trials"/> can expand it.</summary>
    public IReadOnlyList<OptionError> Validate()
    {
        var errors = new List<OptionError>();
        errors.AddRange(Base.Validate());
        if (Stopping is not null)
        {
            errors.AddRange(Stopping.Validate());
        }
        if (!Enum.IsDefined(Strategy))
        {
            errors.Add(new OptionError(nameof(Strategy), $"must be grid or random, not {Strategy}"));
        }
        if (!Enum.IsDefined(Metric))
        {
            errors.Add(new OptionError(nameof(Metric), $"must be auc or accuracy, not {Metric}"));
        }
        if (Strategy == SweepStrategy.Random && RandomTrials is < 1 or > MaxRandomTrials)
        {
            errors.Add(new OptionError("Trials", $"must be from 1 to {MaxRandomTrials:N0}, not {RandomTrials}"));
        }
        if (Budget is < 1)
        {
            errors.Add(new OptionError(nameof(Budget), $"must be 1 or more, not {Budget}"));
        }
        if (Space.Dimensions.Count == 0)
        {
            errors.Add(new OptionError("Space", "names no option: give at least one, such as {\"depth\": [18, 34]}"));
        }
        errors.AddRange(Space.Dimensions.SelectMany(ValueErrors));
        if (Strategy == SweepStrategy.Grid)
        {
            foreach (var d in Space.Dimensions.Where(d => d.Range is { IsDiscrete: false }))
            {
                errors.Add(new OptionError(d.Option, "a range in a grid needs \"count\" (points from min to max) or \"step\"; or use the random strategy"));
            }
            if (errors.Count == 0 && Space.GridSize is > MaxGridTrials and var size)
            {
                var factors = string.Join(" x ", Space.Dimensions.Select(d => $"{d.TrainingOption.JsonName} ({d.GridCount:N0})"));
                errors.Add(new OptionError("Space", FormattableString.Invariant(
                    $"the grid has {size:N0} trials ({factors}), more than {MaxGridTrials:N0}: give fewer values, or use the random strategy")));
            }
        }
        if (errors.Count == 0)
        {
            // Each value may be fine alone and still clash with another (an end rate above a swept starting rate).
            foreach (var trial in Expand())
            {
                errors.AddRange(trial.Options.Validate().Concat(BackboneCheck.Errors(trial.Options, BackbonesDir)).Select(e => e with { Message = $"{e.Message} (in trial {trial.Number}: {trial.Describe()})" }));
                if (errors.Count > 0)
                {
                    break;
                }
            }
        }
        return errors;
    }

    /// <summary>
    /// The trials in the order they run, each with validated options: a grid is the cartesian product with the first
    /// option of the space varying slowest; random search draws with <see cref="Seed"/> (the same seed, the same trials)
    /// and never repeats a trial. Both are cut to <see cref="Budget"/>.
    /// </summary>
    /// <exception cref="PalmLabException">The sweep is invalid; the message names every problem.</exception>
    public IReadOnlyList<SweepTrial> Trials()
    {
        var errors = Validate();
        return errors.Count == 0 ? Expand() : throw new PalmLabException("Invalid sweep: " + TrainingConfig.Describe(errors) + ".");
    }

    private List<SweepTrial> Expand()
    {
        var limit = Math.Min(Budget ?? int.MaxValue, Strategy == SweepStrategy.Random ? RandomTrials : MaxGridTrials);
        var combinations = Strategy == SweepStrategy.Grid ? Grid() : Draws();
        // A swept backbone brings its own depth, unless the depth is swept too (then a pair that differs is refused).
        var backboneDepth = Space.Dimensions.Any(d => d.Option == nameof(TrainingOptions.Backbone)) &&
            Space.Dimensions.All(d => d.Option != nameof(TrainingOptions.Depth));
        return combinations.Take(limit).Select((values, i) =>
        {
            var options = Base;
            var swept = new Dictionary<string, object?>();
            foreach (var (dimension, value) in Space.Dimensions.Zip(values))
            {
                options = dimension.TrainingOption.WithValue(options, value);
                swept[dimension.TrainingOption.JsonName] = value;
            }
            if (backboneDepth)
            {
                options = BackboneCheck.WithBackboneDepth(options, BackbonesDir);
            }
            return new SweepTrial(i + 1, swept, options);
        }).ToList();
    }

    private IEnumerable<object?[]> Grid()
    {
        IEnumerable<object?[]> product = [[]];
        foreach (var dimension in Space.Dimensions)
        {
            var values = dimension.GridValues();
            product = product.SelectMany(prefix => values.Select(v => (object?[])[.. prefix, v]));
        }
        return product;
    }

    private IEnumerable<object?[]> Draws()
    {
        var random = new Random(Seed);
        var seen = new HashSet<string>();
        // A space with fewer distinct points than trials runs out of new draws: stop after many repeats in a row.
        for (var repeats = 0; repeats < 1000;)
        {
            var values = Space.Dimensions.Select(d => d.Draw(random)).ToArray();
            if (seen.Add(string.Join("|", values.Select(SweepDimension.Format))))
            {
                repeats = 0;
                yield return values;
            }
            else
            {
                repeats++;
            }
        }
    }

    // A value the option refuses on its own (depth 19, a learning rate of 20), reported once per value, before any trial.
    private IEnumerable<OptionError> ValueErrors(SweepDimension dimension)
    {
        var option = dimension.TrainingOption;
        IEnumerable<object?> values = dimension.Values ?? (dimension.Range is { } r
            ? [option.Type == typeof(int) ? (object)(int)r.Min : r.Min, option.Type == typeof(int) ? (object)(int)r.Max : r.Max]
            : []);
        return values.Distinct()
            .SelectMany(v => option.WithValue(Base, v).Validate()
                .Where(e => e.Option == option.Name)
                .Select(e => e with { Message = $"{e.Message} (swept value {SweepDimension.Format(v)})" }))
            .DistinctBy(e => e.Message);
    }
}
