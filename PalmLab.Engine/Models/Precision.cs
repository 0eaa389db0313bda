using System.Text.Json.Serialization;

namespace PalmLab.Engine.Models;

/// <summary>The type a network computes in: fp32 throughout, or bf16 mixed precision (<see cref="Mixed"/>).</summary>
public enum Precision
{
    [JsonStringEnumMemberName("fp32")]
    Fp32,

    [JsonStringEnumMemberName("bf16")]
    Bf16,
}
