using PalmLab.Engine.Training;

namespace PalmLab.Web.Runs;

/// <summary>
/// A run to queue, as the form and POST /api/runs send it: a data set, an optional preset, and any options that
/// override the preset (absent options keep the preset's value).
/// </summary>
public sealed record RunRequest
{
    public string? Name { get; init; }

    public int? DataSetId { get; init; }

    /// <summary>The data set by name, as an alternative to <see cref="DataSetId"/>.</summary>
    public string? DataSet { get; init; }

    /// <summary>"reference" (default) or "quick".</summary>
    public string? Preset { get; init; }

    /// <summary>Fraction of the training images held out for validation; required where the data set has no validation folder (default 0.2 there).</summary>
    public double? Holdout { get; init; }

    public int? Depth { get; init; }

    public int? Epochs { get; init; }

    public int? BatchSize { get; init; }

    public int? ImageSize { get; init; }

    public LrScheduleKind? Schedule { get; init; }

    public double? LearningRate { get; init; }

    public double? EndLearningRate { get; init; }

    public double? Power { get; init; }

    public int? DecaySteps { get; init; }

    public int? StepSize { get; init; }

    public double? Gamma { get; init; }

    public int? WarmupSteps { get; init; }

    public double? Momentum { get; init; }

    public double? WeightDecay { get; init; }

    public int? Seed { get; init; }

    public double? Threshold { get; init; }

    public bool? AugmentFlip { get; init; }

    public double? AugmentRotation { get; init; }

    public string? Notes { get; init; }

    public string? Tags { get; init; }
}
