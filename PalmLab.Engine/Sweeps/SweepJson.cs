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

    /// <summary>Reads a sweep.json written by <see cref="Write"/>; swept values come back as <see cref="JsonElement"/>s.</summary>
    /// <exception cref="PalmLabException">The file is missing or is not a sweep.</exception>
    public static SweepResult Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<SweepResult>(File.ReadAllText(path), Options)
                ?? throw new PalmLabException($"{path} holds no sweep.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new PalmLabException($"Cannot read the sweep {path}: {e.Message}", e);
        }
    }
}
