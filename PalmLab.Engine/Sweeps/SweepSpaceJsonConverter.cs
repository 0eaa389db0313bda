using System.Text.Json;
using System.Text.Json.Serialization;

namespace PalmLab.Engine.Sweeps;

/// <summary>Reads and writes a <see cref="SweepSpace"/> in its documented file format, so a stored spec reads as the user wrote it.</summary>
public sealed class SweepSpaceJsonConverter : JsonConverter<SweepSpace>
{
    public override SweepSpace Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var (space, errors) = SweepSpace.Parse(document.RootElement);
        return errors.Count == 0 ? space : throw new JsonException(string.Join("; ", errors.Select(e => $"{e.Option}: {e.Message}")));
    }

    public override void Write(Utf8JsonWriter writer, SweepSpace value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var dimension in value.Dimensions)
        {
            writer.WritePropertyName(dimension.TrainingOption.JsonName);
            if (dimension.Values is { } values)
            {
                writer.WriteStartArray();
                foreach (var item in values)
                {
                    WriteValue(writer, item);
                }
                writer.WriteEndArray();
                continue;
            }
            var range = dimension.Range!;
            writer.WriteStartObject();
            writer.WriteNumber("min", range.Min);
            writer.WriteNumber("max", range.Max);
            writer.WriteString("scale", range.Scale.ToString().ToLowerInvariant());
            if (range.Step is { } step)
            {
                writer.WriteNumber("step", step);
            }
            if (range.Count is { } count)
            {
                writer.WriteNumber("count", count);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case int i: writer.WriteNumberValue(i); break;
            case double d: writer.WriteNumberValue(d); break;
            case Enum e: writer.WriteStringValue(e.ToString().ToLowerInvariant()); break;
            default: throw new JsonException($"A sweep value of type {value.GetType().Name} cannot be written.");
        }
    }
}
