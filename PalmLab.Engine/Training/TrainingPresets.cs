namespace PalmLab.Engine.Training;

/// <summary>Named starting points for a run; options given alongside a preset override it.</summary>
public static class TrainingPresets
{
    /// <summary>The reference course: ResNet-50, 224 px, batch 10, polynomial 0.005 to 0.001, 10 epochs, no augmentation.</summary>
    public static readonly TrainingConfig Reference = new();

    /// <summary>A few minutes on two CPU cores: ResNet-18, 64 px, batch 16, 5 epochs.</summary>
    public static readonly TrainingConfig Quick = new() { Depth = 18, ImageSize = 64, BatchSize = 16, Epochs = 5 };

    public static readonly IReadOnlyDictionary<string, TrainingConfig> All = new Dictionary<string, TrainingConfig>(StringComparer.OrdinalIgnoreCase)
    {
        ["reference"] = Reference,
        ["quick"] = Quick,
    };

    /// <summary>The preset called <paramref name="name"/>; unknown names are an error listing the known ones.</summary>
    public static TrainingConfig Get(string name) => All.TryGetValue(name, out var preset)
        ? preset
        : throw new PalmLabException($"Unknown preset '{name}': use one of {string.Join(", ", All.Keys)}.");
}
