using System.Text.Json.Serialization;

namespace PalmLab.Engine.Sweeps;

/// <summary>How the points of a <see cref="SweepRange"/> are spaced and drawn.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SweepScale>))]
public enum SweepScale
{
    [JsonStringEnumMemberName("linear")]
    Linear,

    /// <summary>Evenly in log space (0.001, 0.01, 0.1); needs a minimum above 0.</summary>
    [JsonStringEnumMemberName("log")]
    Log,
}
