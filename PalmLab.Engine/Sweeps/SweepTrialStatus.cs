using System.Text.Json.Serialization;

namespace PalmLab.Engine.Sweeps;

[JsonConverter(typeof(JsonStringEnumConverter<SweepTrialStatus>))]
public enum SweepTrialStatus
{
    /// <summary>Trained every epoch (of every fold).</summary>
    [JsonStringEnumMemberName("completed")]
    Completed,

    /// <summary>Stopped by median stopping; its finished epochs and checkpoints are kept.</summary>
    [JsonStringEnumMemberName("stoppedEarly")]
    StoppedEarly,

    /// <summary>Training refused or failed (it diverged, for one); the message says why.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>The sweep was cancelled while this trial trained.</summary>
    [JsonStringEnumMemberName("cancelled")]
    Cancelled,
}
