using System.Text.Json;
using System.Text.Json.Serialization;

namespace PalmLab.Engine.Jobs;

/// <summary>The JSON of the job protocol, the same on both ends: camelCase, enums by name, NaN allowed (a diverged loss).</summary>
public static class JobJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };
}
