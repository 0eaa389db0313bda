using System.Text.Json.Serialization;

namespace PalmLab.Engine.Sweeps;

/// <summary>The validation metric a sweep maximises; cross-validated (mean over the folds) when the trials have folds.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SweepMetric>))]
public enum SweepMetric
{
    [JsonStringEnumMemberName("auc")]
    Auc,
    [JsonStringEnumMemberName("accuracy")]
    Accuracy,
}
