using System.Text.Json;
using System.Text.Json.Serialization;

namespace PalmLab.Engine.DataSets;

/// <summary>How manifests are written and read: camelCase, indented, enums as names, nulls and missing values refused where the types say so.</summary>
public static class DataSetJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };
}
