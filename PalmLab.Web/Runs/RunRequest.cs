using System.Text.Json;
using System.Text.Json.Serialization;

namespace PalmLab.Web.Runs;

/// <summary>
/// A run to queue, as POST /api/runs sends it: a data set, an optional preset, and any training options (by their
/// camelCase names, beside these fields) that override the preset; absent options keep the preset's value.
/// </summary>
public sealed record RunRequest
{
    public string? Name { get; init; }

    public int? DataSetId { get; init; }

    /// <summary>The data set by name, as an alternative to <see cref="DataSetId"/>.</summary>
    public string? DataSet { get; init; }

    /// <summary>A built-in preset ("reference", the default, "quick", "best", "deeper") or one saved from a sweep.</summary>
    public string? Preset { get; init; }

    public string? Notes { get; init; }

    /// <summary>Comma-separated tags.</summary>
    public string? Tags { get; init; }

    /// <summary>Slurm resources for this run over the settings' defaults (partition, gpus, cpus, memory, timeLimit).</summary>
    public Data.SlurmResources? Slurm { get; init; }

    /// <summary>Training options that override the preset, by name (<c>batchSize</c>), as JSON values.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement> Options { get; init; } = [];
}
