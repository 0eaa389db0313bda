using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using PalmLab.Engine.Training;

namespace PalmLab.Web.Api;

/// <summary>
/// Reads <see cref="int"/> and <see cref="long"/> fields of request bodies by the one rule for whole numbers
/// (<see cref="WholeNumber"/>): <c>2.0</c> and <c>1e9</c> are whole, <c>2.5</c> is refused as "not a whole number".
/// System.Text.Json's own reading calls all three "the wrong type".
/// </summary>
public sealed class WholeNumberJsonConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert == typeof(int) || typeToConvert == typeof(long);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        typeToConvert == typeof(int) ? new Whole<int>(int.MinValue, int.MaxValue, v => (int)v) : new Whole<long>(long.MinValue, long.MaxValue, v => v);

    private sealed class Whole<T>(long min, long max, Func<long, T> convert) : JsonConverter<T> where T : struct, IConvertible
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var fromText = reader.TokenType == JsonTokenType.String && options.NumberHandling.HasFlag(JsonNumberHandling.AllowReadingFromString);
            if (reader.TokenType != JsonTokenType.Number && !fromText)
            {
                throw new JsonException(); // the serializer says "could not be converted" with the path: the wrong type
            }
            var text = fromText ? reader.GetString()! : Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
            return WholeNumber.TryRead(text.Trim(), min, max, out var value, out var error) ? convert(value) : throw new JsonRuleException(error);
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(value.ToInt64(CultureInfo.InvariantCulture));
    }
}
