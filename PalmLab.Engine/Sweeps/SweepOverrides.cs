namespace PalmLab.Engine.Sweeps;

/// <summary>
/// Settings given beside a sweep file (the command line's flags); each one given replaces the file's.
/// <see cref="Base"/> options are laid over the file's <c>base</c>, keyed by any option name.
/// </summary>
public sealed record SweepOverrides
{
    public string? Preset { get; init; }

    public IReadOnlyList<KeyValuePair<string, object?>> Base { get; init; } = [];

    /// <summary>"grid" or "random".</summary>
    public string? Strategy { get; init; }

    public int? Trials { get; init; }

    public int? Seed { get; init; }

    /// <summary>"auc" or "accuracy".</summary>
    public string? Metric { get; init; }

    public int? Budget { get; init; }

    /// <summary>Where backbones are looked for besides the built-in ones (<see cref="SweepSpec.BackbonesDir"/>).</summary>
    public string? BackbonesDir { get; init; }
}
