using PalmLab.Engine.Runtime;

namespace PalmLab.Engine.Training;

/// <summary>Named starting points for a run; options given alongside a preset override it.</summary>
public static class TrainingPresets
{
    /// <summary>
    /// The reference course exactly: ResNet-50, 224 px, batch 10, SGD momentum 0.9, polynomial decay from 0.005 to 0.001
    /// over (400 // 10 + 1) * 2.5 = 102.5 steps and then held, 10 epochs, no augmentation.
    /// </summary>
    public static readonly TrainingOptions Reference = new();

    /// <summary>A few minutes on two CPU cores: ResNet-18, 64 px, batch 16, 5 epochs, decaying over the whole run.</summary>
    public static readonly TrainingOptions Quick = new() { Depth = 18, ImageSize = 64, BatchSize = 16, Epochs = 5, DecaySteps = null };

    /// <summary>
    /// Found with PalmLab's own 5-fold cross-validated sweep on the 400 real training images (docs/model-quality.md): the
    /// quick recipe trained twice as long, with horizontal flips and weight decay 1e-4. Cross-validated accuracy 0.948 ±
    /// 0.024 and AUC 0.990 ± 0.010 against the reference recipe's 0.910 ± 0.024 and 0.976 ± 0.012, in about a twentieth of
    /// its training time on two CPU cores. In bf16 mixed precision where the processor has bfloat16 instructions (fp32
    /// elsewhere): on the same five folds bf16 scored +0.010 ± 0.011 accuracy against fp32 and trained 1.27x faster
    /// (docs/benchmarks.md, issue 24).
    /// </summary>
    public static readonly TrainingOptions Best = Quick with
    {
        Epochs = 10, AugmentFlip = true, WeightDecay = 0.0001, Precision = TorchRuntime.FastestCpuPrecision,
    };

    /// <summary>More capacity and longer training with light augmentation: ResNet-101, 224 px, 20 epochs, cosine decay, flips.</summary>
    public static readonly TrainingOptions Deeper = new()
    {
        Depth = 101, Epochs = 20, Schedule = LrScheduleKind.Cosine, DecaySteps = null, WarmupSteps = 40, AugmentFlip = true, WeightDecay = 0.0001,
    };

    /// <summary>
    /// Fine-tunes the ImageNet ResNet-18 (<see cref="Backbones.Backbones.ImageNetResNet18"/>), chosen by PalmLab's own
    /// 5-fold cross-validated sweep on the 400 real training images, on the same folds as <see cref="Best"/>
    /// (docs/model-quality.md): 128 px, batch 16, 5 epochs, one-cycle style SGD (20 warm-up steps to 0.01, cosine to 0),
    /// the backbone at a tenth of the head's rate, flips, weight decay 1e-4. Cross-validated accuracy 0.970 ± 0.014 and
    /// AUC 0.995 ± 0.004 against <see cref="Best"/>'s 0.948 ± 0.024 and 0.990 ± 0.010; the same recipe at 224 px with the
    /// backbone at the full rate tied it (0.970 ± 0.027, AUC 0.998) at about three times the time, so the smaller one won.
    /// In bf16 mixed precision where the processor has bfloat16 instructions (fp32 elsewhere): on the same five folds bf16
    /// scored +0.003 ± 0.014 accuracy against fp32 and trained 1.37x faster (docs/benchmarks.md, issue 24).
    /// </summary>
    public static readonly TrainingOptions Pretrained = new()
    {
        Backbone = Backbones.Backbones.ImageNetResNet18, Depth = 18, BackboneLearningRate = 0.1, ImageSize = 128, BatchSize = 16, Epochs = 5,
        Schedule = LrScheduleKind.Cosine, LearningRate = 0.01, EndLearningRate = 0, WarmupSteps = 20, DecaySteps = null,
        AugmentFlip = true, WeightDecay = 0.0001, Precision = TorchRuntime.FastestCpuPrecision,
    };

    public static readonly IReadOnlyDictionary<string, TrainingOptions> All = new Dictionary<string, TrainingOptions>(StringComparer.OrdinalIgnoreCase)
    {
        ["reference"] = Reference,
        ["quick"] = Quick,
        ["best"] = Best,
        ["deeper"] = Deeper,
        ["pretrained"] = Pretrained,
    };

    /// <summary>
    /// The options of <paramref name="preset"/> (the reference recipe when null) with <paramref name="overrides"/> laid
    /// on top, keyed by any name of an option (<c>batchSize</c>, <c>batch-size</c>, <c>BatchSize</c>), then validated.
    /// This is how both the command line and the API turn what a user typed into options. A pretrained backbone is looked
    /// up in <paramref name="backbonesDir"/> (besides the built-in ones) and gives the depth when none is given.
    /// </summary>
    public static (TrainingOptions Options, IReadOnlyList<OptionError> Errors) Resolve(
        string? preset, IEnumerable<KeyValuePair<string, object?>> overrides, string? backbonesDir = null) =>
        Override(Find(preset, out var presetError), overrides, presetError, backbonesDir);

    /// <summary>
    /// Lays <paramref name="overrides"/> on <paramref name="start"/> (a preset or a checkpoint's options) and validates the
    /// result. With a pretrained backbone and no depth among the overrides, the depth is the backbone's; a depth given that
    /// differs from it is an error naming both.
    /// </summary>
    public static (TrainingOptions Options, IReadOnlyList<OptionError> Errors) Override(
        TrainingOptions start, IEnumerable<KeyValuePair<string, object?>> overrides, OptionError? earlier = null, string? backbonesDir = null)
    {
        var errors = new List<OptionError>();
        if (earlier is not null)
        {
            errors.Add(earlier);
        }
        var options = start;
        var invalid = new HashSet<string>();
        var given = new HashSet<string>();
        foreach (var (name, raw) in overrides)
        {
            if (TrainingOption.Find(name) is not { } option)
            {
                errors.Add(new OptionError(name, $"is not an option (the options are {string.Join(", ", TrainingOption.All.Select(o => o.JsonName))})"));
            }
            else if (option.TryConvert(raw, out var value, out var error))
            {
                options = option.WithValue(options, value);
                given.Add(option.Name);
            }
            else
            {
                errors.Add(new OptionError(option.Name, error));
                invalid.Add(option.Name);
            }
        }
        if (!given.Contains(nameof(TrainingOptions.Depth)) && !invalid.Contains(nameof(TrainingOptions.Depth)))
        {
            options = BackboneCheck.WithBackboneDepth(options, backbonesDir);
        }
        // An option that could not be read keeps the start's value, which must not be reported as a second problem.
        errors.AddRange(options.Validate().Concat(BackboneCheck.Errors(options, backbonesDir)).Where(e => !invalid.Contains(e.Option)));
        return (options, errors);
    }

    /// <summary>The preset called <paramref name="name"/>; unknown names are an error listing the known ones.</summary>
    public static TrainingOptions Get(string name)
    {
        var preset = Find(name, out var error);
        return error is null ? preset : throw new PalmLabException($"Unknown preset '{name}': use one of {string.Join(", ", All.Keys)}.");
    }

    private static TrainingOptions Find(string? name, out OptionError? error)
    {
        error = null;
        if (name is null)
        {
            return Reference;
        }
        if (All.TryGetValue(name, out var preset))
        {
            return preset;
        }
        error = new OptionError("Preset", $"'{name}' is not one of {string.Join(", ", All.Keys)}");
        return Reference;
    }
}
