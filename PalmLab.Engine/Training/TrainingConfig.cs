using System.Text.Json.Serialization;

namespace PalmLab.Engine.Training;

/// <summary>
/// Everything that defines a training run. The defaults are the reference recipe: ResNet-50, 224x224, batch 10,
/// SGD momentum 0.9, polynomial decay 0.005 to 0.001, 10 epochs, threshold 0.5.
/// </summary>
public sealed record TrainingConfig
{
    public string TrainDir { get; init; } = "";

    /// <summary>Validation images labelled by <see cref="LabelsPath"/>; exclusive with <see cref="Holdout"/>.</summary>
    public string? ValidDir { get; init; }

    public string? LabelsPath { get; init; }

    /// <summary>Fraction of the training folder held out for validation (stratified, seeded).</summary>
    public double? Holdout { get; init; }

    public int Depth { get; init; } = 50;

    public int Epochs { get; init; } = 10;

    public int BatchSize { get; init; } = 10;

    public int ImageSize { get; init; } = 224;

    [JsonConverter(typeof(JsonStringEnumConverter<LrScheduleKind>))]
    public LrScheduleKind Schedule { get; init; } = LrScheduleKind.Polynomial;

    public double LearningRate { get; init; } = 0.005;

    public double EndLearningRate { get; init; } = 0.001;

    /// <summary>Exponent of the polynomial schedule.</summary>
    public double Power { get; init; } = 1;

    /// <summary>Steps over which polynomial and cosine decay; null means every step of the run.</summary>
    public int? DecaySteps { get; init; }

    /// <summary>Steps between learning-rate drops of the step schedule; null means a third of the run.</summary>
    public int? StepSize { get; init; }

    /// <summary>Factor applied at each drop of the step schedule.</summary>
    public double Gamma { get; init; } = 0.1;

    /// <summary>Steps of linear warm-up from near zero to the schedule's rate.</summary>
    public int WarmupSteps { get; init; }

    public double Momentum { get; init; } = 0.9;

    public double WeightDecay { get; init; }

    public int Seed { get; init; }

    /// <summary>Probability at or above which an image is called pathologic.</summary>
    public double Threshold { get; init; } = 0.5;

    public bool AugmentFlip { get; init; }

    /// <summary>Largest random rotation in degrees (0 turns rotation off).</summary>
    public double AugmentRotation { get; init; }

    /// <summary>"auto" (CUDA when available), "cpu" or "cuda".</summary>
    public string Device { get; init; } = "auto";

    /// <summary>Intra-op threads; 0 means one per core.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Folder of decoded image sets (<see cref="Data.ImageCache"/>); null decodes every image on every run.
    /// It changes how fast data loads, never what is trained.
    /// </summary>
    public string? CacheDir { get; init; }

    /// <summary>Every problem with the options, one message per field; empty when the configuration is usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(TrainDir)) errors.Add("train-dir: a training folder is required");
        if (ValidDir is not null && Holdout is not null) errors.Add("holdout: give either a validation folder or a holdout fraction, not both");
        if (Holdout is { } h && !(h > 0 && h < 1)) errors.Add($"holdout: must be between 0 and 1 (exclusive), not {h}");
        if (!Models.ResNet.Depths.Contains(Depth)) errors.Add($"depth: {Depth} is not one of {string.Join(", ", Models.ResNet.Depths)}");
        if (Epochs <= 0) errors.Add($"epochs: must be at least 1, not {Epochs}");
        if (BatchSize <= 0) errors.Add($"batch-size: must be at least 1, not {BatchSize}");
        if (ImageSize < 32) errors.Add($"image-size: must be at least 32 pixels, not {ImageSize}");
        if (ImageSize > 1024) errors.Add($"image-size: at most 1024 pixels, not {ImageSize}");
        if (!(LearningRate > 0)) errors.Add($"lr: must be positive, not {LearningRate}");
        if (EndLearningRate < 0 || EndLearningRate > LearningRate) errors.Add($"end-lr: must be between 0 and lr ({LearningRate}), not {EndLearningRate}");
        if (!(Power > 0)) errors.Add($"power: must be positive, not {Power}");
        if (DecaySteps is <= 0) errors.Add($"decay-steps: must be at least 1, not {DecaySteps}");
        if (StepSize is <= 0) errors.Add($"step-size: must be at least 1, not {StepSize}");
        if (!(Gamma > 0 && Gamma <= 1)) errors.Add($"gamma: must be in (0, 1], not {Gamma}");
        if (WarmupSteps < 0) errors.Add($"warmup-steps: must be 0 or more, not {WarmupSteps}");
        if (Momentum < 0 || Momentum >= 1) errors.Add($"momentum: must be in [0, 1), not {Momentum}");
        if (WeightDecay < 0) errors.Add($"weight-decay: must be 0 or more, not {WeightDecay}");
        if (!(Threshold > 0 && Threshold < 1)) errors.Add($"threshold: must be between 0 and 1 (exclusive), not {Threshold}");
        if (AugmentRotation < 0 || AugmentRotation > 180) errors.Add($"rotate: must be between 0 and 180 degrees, not {AugmentRotation}");
        if (Device is not ("auto" or "cpu" or "cuda")) errors.Add($"device: '{Device}' is not auto, cpu or cuda");
        if (Threads < 0) errors.Add($"threads: must be 0 (one per core) or more, not {Threads}");
        return errors;
    }

    /// <summary>Throws a <see cref="PalmLabException"/> listing every invalid option.</summary>
    public void EnsureValid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new PalmLabException("Invalid training options: " + string.Join("; ", errors) + ".");
        }
    }
}
