using System.Text.Json.Serialization;

namespace PalmLab.Engine.Training;

/// <summary>
/// What is trained and how: every option of a run, in one place. The defaults are the reference course's recipe
/// (ResNet-50, 224x224, batch 10, SGD momentum 0.9, polynomial decay from 0.005 to 0.001 over 102.5 steps, then held,
/// 10 epochs, threshold 0.5). A new option is a property here with its <see cref="OptionAttribute"/> and a check in
/// <see cref="Validate"/>: the command line, the API, the run store and the checkpoints pick it up from here.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>The reference course's decay steps: (400 // 10 + 1) * 2.5, about two and a half epochs of its data.</summary>
    public const double ReferenceDecaySteps = (400 / 10 + 1) * 2.5;

    public const int MaxEpochs = 1000;
    public const int MaxBatchSize = 1024;
    public const double MaxLearningRate = 10;
    public const int MaxWarmupSteps = 100_000;
    public const double MaxSteps = 100_000_000;
    public const int MaxBackboneNameLength = 64;

    [Option("holdout", "Hold out this fraction of the training images for validation (stratified, seeded) instead of a validation folder.")]
    public double? Holdout { get; init; }

    [Option("folds", "Cross-validate instead: K folds (2 to 10) of the training images, stratified, seeded, byte-identical twins in one fold; no validation folder or holdout.")]
    public int? Folds { get; init; }

    [Option("depth", "ResNet depth: 18, 34, 50, 101 or 152 (reference: 50); a pretrained backbone's own depth by default.")]
    public int Depth { get; init; } = 50;

    [Option("backbone", "Where the network starts: scratch (random weights, the reference) or a pretrained backbone such as resnet18-imagenet, whose depth and input normalisation it takes, with a new one-logit head.")]
    public string Backbone { get; init; } = Backbones.Backbones.Scratch;

    [Option("backbone-lr", "The pretrained backbone's learning rate as a fraction of lr, 0 to 1 (default 1); 0 freezes its weights and trains only the head.")]
    public double BackboneLearningRate { get; init; } = 1;

    [Option("freeze-bn", "Keep the pretrained backbone's batch norms as they are: their running statistics and weights stay, and they normalise as in evaluation while training.")]
    public bool FreezeBatchNorm { get; init; }

    [Option("epochs", "Epochs, 1 to 1,000 (reference: 10).")]
    public int Epochs { get; init; } = 10;

    [Option("batch-size", "Images per batch, 2 to 1,024 (reference: 10).")]
    public int BatchSize { get; init; } = 10;

    [Option("image-size", "Images are resized to SxS pixels, 32 to 1,024 (reference: 224).")]
    public int ImageSize { get; init; } = 224;

    [Option("schedule", "Learning-rate schedule (reference: polynomial).")]
    [JsonConverter(typeof(JsonStringEnumConverter<LrScheduleKind>))]
    public LrScheduleKind Schedule { get; init; } = LrScheduleKind.Polynomial;

    [Option("lr", "Starting learning rate, above 0 and at most 10 (reference: 0.005).")]
    public double LearningRate { get; init; } = 0.005;

    [Option("end-lr", "Final learning rate of polynomial and cosine decay (reference: 0.001).")]
    public double EndLearningRate { get; init; } = 0.001;

    [Option("power", "Exponent of polynomial decay (reference: 1).")]
    public double Power { get; init; } = 1;

    [Option("decay-steps", "Steps of polynomial or cosine decay, then the end rate is held; may be fractional (reference: 102.5; \"\" for the whole run).")]
    public double? DecaySteps { get; init; } = ReferenceDecaySteps;

    [Option("step-size", "Steps between drops of the step schedule (default: a third of the run).")]
    public int? StepSize { get; init; }

    [Option("gamma", "Factor at each drop of the step schedule (default 0.1).")]
    public double Gamma { get; init; } = 0.1;

    [Option("warmup-steps", "Steps of linear warm-up to the starting rate, 0 to 100,000 (default 0).")]
    public int WarmupSteps { get; init; }

    [Option("momentum", "SGD momentum (reference: 0.9).")]
    public double Momentum { get; init; } = 0.9;

    [Option("weight-decay", "SGD weight decay (default 0).")]
    public double WeightDecay { get; init; }

    [Option("seed", "Seed for weights, shuffling, augmentation and the holdout split (default 0).")]
    public int Seed { get; init; }

    [Option("threshold", "Probability at which an image is called pathologic (default 0.5).")]
    public double Threshold { get; init; } = 0.5;

    [Option("flip", "Augment with random horizontal flips.")]
    public bool AugmentFlip { get; init; }

    [Option("rotate", "Augment with random rotations up to this many degrees, 0 to 180 (default 0: off).")]
    public double AugmentRotation { get; init; }

    [Option("precision", "fp32 (the reference) or bf16: convolutions in bfloat16, weights, loss and optimizer in fp32; for processors with bf16 instructions.")]
    [JsonConverter(typeof(JsonStringEnumConverter<Models.Precision>))]
    public Models.Precision Precision { get; init; } = Models.Precision.Fp32;

    /// <summary>
    /// Whether <paramref name="name"/> can name a backbone: 1 to 64 ASCII letters, digits, '.', '_' or '-', the first a letter
    /// or digit, so it is safe as a file name, in a URL and on a command line.
    /// </summary>
    public static bool IsBackboneName(string? name) =>
        name is { Length: > 0 and <= MaxBackboneNameLength } && char.IsAsciiLetterOrDigit(name[0]) &&
        name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>Every problem with the options, one or more per option; empty when they can be trained.</summary>
    public IReadOnlyList<OptionError> Validate()
    {
        var errors = new List<OptionError>();
        // Messages use invariant numbers ("1,000", "0.5"), as users type them, whatever the machine's culture.
        void Check(bool ok, string option, FormattableString message)
        {
            if (!ok)
            {
                errors.Add(new OptionError(option, FormattableString.Invariant(message)));
            }
        }

        Check(Holdout is not { } h || h is > 0 and < 1, nameof(Holdout), $"must be between 0 and 1 (exclusive), not {Holdout}");
        Check(Folds is not { } k || k is >= Data.FoldSplit.MinFolds and <= Data.FoldSplit.MaxFolds, nameof(Folds),
            $"must be from {Data.FoldSplit.MinFolds} to {Data.FoldSplit.MaxFolds}, not {Folds}");
        Check(Folds is null || Holdout is null, nameof(Folds), $"cross-validation validates on the training images' own folds: give no holdout");
        Check(IsBackboneName(Backbone), nameof(Backbone),
            $"must be scratch or a backbone's name: 1 to {MaxBackboneNameLength} letters, digits, '.', '_' or '-', starting with a letter or digit, not '{Backbone}'");
        var pretrained = Backbone != Backbones.Backbones.Scratch;
        Check(BackboneLearningRate is >= 0 and <= 1, nameof(BackboneLearningRate), $"must be from 0 to 1 (a fraction of lr), not {BackboneLearningRate}");
        Check(pretrained || BackboneLearningRate == 1, nameof(BackboneLearningRate), $"applies to a pretrained backbone: from scratch every layer learns at lr (give 1, or a backbone)");
        Check(pretrained || !FreezeBatchNorm, nameof(FreezeBatchNorm), $"applies to a pretrained backbone: from scratch the batch norms must learn (give false, or a backbone)");
        Check(Models.ResNet.Depths.Contains(Depth), nameof(Depth), $"{Depth} is not one of {string.Join(", ", Models.ResNet.Depths)}");
        Check(Epochs is >= 1 and <= MaxEpochs, nameof(Epochs), $"must be from 1 to {MaxEpochs:N0}, not {Epochs}");
        Check(BatchSize is >= 2 and <= MaxBatchSize, nameof(BatchSize),
            BatchSize == 1 ? (FormattableString)$"must be at least 2: batch normalisation needs two images per batch" : $"must be from 2 to {MaxBatchSize:N0}, not {BatchSize}");
        Check(ImageSize is >= 32 and <= 1024, nameof(ImageSize), $"must be from 32 to 1,024 pixels, not {ImageSize}");
        Check(Enum.IsDefined(Schedule), nameof(Schedule), $"'{Schedule}' is not one of {string.Join(", ", Enum.GetNames<LrScheduleKind>())}");
        Check(LearningRate is > 0 and <= MaxLearningRate, nameof(LearningRate), $"must be above 0 and at most {MaxLearningRate}, not {LearningRate}");
        Check(EndLearningRate >= 0 && !(EndLearningRate > LearningRate), nameof(EndLearningRate),
            $"must be from 0 to the starting rate ({LearningRate}), not {EndLearningRate}");
        Check(Power is > 0 and <= 10, nameof(Power), $"must be above 0 and at most 10, not {Power}");
        Check(DecaySteps is not { } d || d is > 0 and <= MaxSteps, nameof(DecaySteps), $"must be above 0 and at most {MaxSteps:N0}, not {DecaySteps}");
        Check(StepSize is not { } s || s is >= 1 and <= (int)MaxSteps, nameof(StepSize), $"must be from 1 to {MaxSteps:N0}, not {StepSize}");
        Check(Gamma is > 0 and <= 1, nameof(Gamma), $"must be above 0 and at most 1, not {Gamma}");
        Check(WarmupSteps is >= 0 and <= MaxWarmupSteps, nameof(WarmupSteps), $"must be from 0 to {MaxWarmupSteps:N0}, not {WarmupSteps}");
        Check(Momentum is >= 0 and < 1, nameof(Momentum), $"must be at least 0 and below 1, not {Momentum}");
        Check(WeightDecay is >= 0 and <= 1, nameof(WeightDecay), $"must be from 0 to 1, not {WeightDecay}");
        Check(Seed >= 0, nameof(Seed), $"must be 0 or more, not {Seed}");
        Check(Threshold is > 0 and < 1, nameof(Threshold), $"must be between 0 and 1 (exclusive), not {Threshold}");
        Check(AugmentRotation is >= 0 and <= 180, nameof(AugmentRotation), $"must be from 0 to 180 degrees, not {AugmentRotation}");
        Check(Enum.IsDefined(Precision), nameof(Precision), $"'{Precision}' is not one of fp32, bf16");
        return errors;
    }
}
