using System.Text.RegularExpressions;
using PalmLab.Engine.Training;

namespace PalmLab.Web.Components.Pages.NewRun;

/// <summary>
/// How the form sections the option catalogue. Every option of <see cref="TrainingOption.All"/> appears exactly once:
/// one that no section names (a new option) lands in "Other", so the form never misses a field. Where the network starts
/// (<see cref="StartFrom"/>) has a card of its own.
/// </summary>
public static partial class OptionGroups
{
    public sealed record Group(string Title, IReadOnlyList<TrainingOption> Options);

    private static readonly (string Title, string[] Names)[] Sections =
    [
        ("Model & data", [nameof(TrainingOptions.Depth), nameof(TrainingOptions.ImageSize), nameof(TrainingOptions.BatchSize),
            nameof(TrainingOptions.Epochs), nameof(TrainingOptions.Holdout), nameof(TrainingOptions.Folds), nameof(TrainingOptions.Seed), nameof(TrainingOptions.Threshold),
            nameof(TrainingOptions.Precision)]),
        ("Learning-rate schedule", [nameof(TrainingOptions.Schedule), nameof(TrainingOptions.LearningRate), nameof(TrainingOptions.EndLearningRate),
            nameof(TrainingOptions.WarmupSteps), nameof(TrainingOptions.DecaySteps), nameof(TrainingOptions.Power),
            nameof(TrainingOptions.StepSize), nameof(TrainingOptions.Gamma)]),
        ("Optimiser (SGD)", [nameof(TrainingOptions.Momentum), nameof(TrainingOptions.WeightDecay)]),
        ("Augmentation", [nameof(TrainingOptions.AugmentFlip), nameof(TrainingOptions.AugmentRotation)]),
    ];

    /// <summary>The options of the "Start from" card (<c>StartFromCard</c>), shown in no section.</summary>
    public static readonly IReadOnlyList<string> StartFrom =
        [nameof(TrainingOptions.Backbone), nameof(TrainingOptions.BackboneLearningRate), nameof(TrainingOptions.FreezeBatchNorm)];

    public static IReadOnlyList<Group> All { get; } = Build();

    private static List<Group> Build()
    {
        var groups = Sections.Select(s => new Group(s.Title, s.Names.Select(n => TrainingOption.Find(n)!).ToList())).ToList();
        var placed = Sections.SelectMany(s => s.Names).Concat(StartFrom).ToHashSet();
        var rest = TrainingOption.All.Where(o => !placed.Contains(o.Name)).ToList();
        if (rest.Count > 0) groups.Add(new Group("Other", rest));
        return groups;
    }

    /// <summary>A field label from the property name: <c>BatchSize</c> is "Batch size".</summary>
    public static string Label(TrainingOption option) => option.Name switch
    {
        nameof(TrainingOptions.Depth) => "ResNet depth",
        nameof(TrainingOptions.AugmentFlip) => "Random horizontal flips",
        nameof(TrainingOptions.AugmentRotation) => "Random rotation (degrees)",
        nameof(TrainingOptions.WarmupSteps) => "Warm-up steps",
        nameof(TrainingOptions.Backbone) => "Start from",
        nameof(TrainingOptions.BackboneLearningRate) => "Backbone learning rate (× lr)",
        nameof(TrainingOptions.FreezeBatchNorm) => "Freeze batch norms",
        // Not the metric (positive predictive value) the runs list and compare show under the same word.
        nameof(TrainingOptions.Precision) => "Numeric precision",
        _ => Words().Replace(option.Name, m => " " + m.Value.ToLowerInvariant()),
    };

    /// <summary>Whether the chosen schedule reads the option at all; unused ones are shown dimmed, still editable.</summary>
    public static bool IsUsed(TrainingOption option, TrainingOptions options) => option.Name switch
    {
        nameof(TrainingOptions.EndLearningRate) or nameof(TrainingOptions.DecaySteps) =>
            options.Schedule is LrScheduleKind.Polynomial or LrScheduleKind.Cosine,
        nameof(TrainingOptions.Power) => options.Schedule == LrScheduleKind.Polynomial,
        nameof(TrainingOptions.StepSize) or nameof(TrainingOptions.Gamma) => options.Schedule == LrScheduleKind.Step,
        _ => true,
    };

    /// <summary>Whether another option sets this one: a pretrained backbone sets the depth.</summary>
    public static bool IsSetByBackbone(TrainingOption option, TrainingOptions options) =>
        option.Name == nameof(TrainingOptions.Depth) && options.Backbone != Engine.Backbones.Backbones.Scratch;

    [GeneratedRegex("(?<!^)[A-Z]")]
    private static partial Regex Words();
}
