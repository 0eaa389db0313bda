using System.Text.Json;
using System.Text.Json.Serialization;

namespace PalmLab.Engine.Sweeps;

/// <summary>OUT/sweep.json: camelCase names, enums as camelCase text, the space in its file format.</summary>
public static class SweepJson
{
    public const string FileName = "sweep.json";

    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Writes <paramref name="result"/> to OUT/sweep.json, whole or not at all.</summary>
    public static void Write(string outputDir, SweepResult result)
    {
        var path = Path.Combine(outputDir, FileName);
        try
        {
            AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, result, Options));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PalmLabException($"Cannot write {path}: {e.Message}", e);
        }
    }
}
