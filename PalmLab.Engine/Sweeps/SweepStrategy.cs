using System.Text.Json.Serialization;

namespace PalmLab.Engine.Sweeps;

/// <summary>How a sweep picks its trials from the space.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SweepStrategy>))]
public enum SweepStrategy
{
    /// <summary>Every combination (the cartesian product), in a stable order; ranges need <c>count</c> or <c>step</c>.</summary>
    [JsonStringEnumMemberName("grid")]
    Grid,

    /// <summary>Seeded draws: a value of each list, ranges uniform (log ranges uniform in log space); no trial twice.</summary>
    [JsonStringEnumMemberName("random")]
    Random,
}
