using System.Text.Json;

namespace PalmLab.Web.Sweeps;

/// <summary>
/// A sweep to queue, as POST /api/sweeps sends it: a data set, where the base options come from (a preset, built-in or
/// saved, or a run), options that override them, the search space (option name to a list of values or a range), and
/// how to search it.
/// </summary>
public sealed record SweepRequest
{
    public string? Name { get; init; }

    public int? DataSetId { get; init; }

    /// <summary>The data set by name, as an alternative to <see cref="DataSetId"/>.</summary>
    public string? DataSet { get; init; }

    /// <summary>A built-in preset ("reference", "quick", "best", "deeper") or a saved one; the reference recipe when neither this nor a run is given.</summary>
    public string? Preset { get; init; }

    /// <summary>Start from this run's options instead of a preset.</summary>
    public int? BaseRunId { get; init; }

    /// <summary>Training options laid over the base, by name (<c>epochs</c>), as JSON values.</summary>
    public Dictionary<string, JsonElement>? Overrides { get; init; }

    /// <summary><c>{"depth": [18, 34], "learningRate": {"min": 0.001, "max": 0.1, "scale": "log", "count": 3}}</c>.</summary>
    public JsonElement? Space { get; init; }

    /// <summary>"grid" (default) or "random".</summary>
    public string? Strategy { get; init; }

    /// <summary>Seeds random search's draws.</summary>
    public int? Seed { get; init; }

    /// <summary>How many trials random search draws.</summary>
    public int? Trials { get; init; }

    /// <summary>"auc" (default) or "accuracy".</summary>
    public string? Metric { get; init; }

    /// <summary>The most trials to queue.</summary>
    public int? Budget { get; init; }

    /// <summary><c>{"minEpochs": 2, "minCompletedTrials": 2}</c> (the default), or <c>false</c> to run every trial to its end.</summary>
    public JsonElement? MedianStopping { get; init; }
}
