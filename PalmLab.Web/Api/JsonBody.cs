using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace PalmLab.Web.Api;

/// <summary>
/// Reads every JSON request body (runs, sweeps, presets, job reports) with a size bound, answering each kind of bad body
/// with a problem that names its field: 415 unless it is declared application/json, 413 past the bound, 400 for broken
/// JSON (with its line and position), a key given twice (at any depth, in any case: the last would silently win), a
/// field the request does not have (a request with extension data, as a run's options, names its unknown keys itself),
/// a number that is not whole where a whole number is wanted (<see cref="WholeNumberJsonConverter"/>), or a value of the
/// wrong type.
/// </summary>
public static class JsonBody
{
    private static readonly JsonSerializerOptions Json = Strict(new(JsonSerializerDefaults.Web));

    /// <summary>
    /// A copy of <paramref name="options"/> that refuses what a request body may not have: duplicate keys, unknown
    /// fields, fractions in whole numbers. Make it once and keep it: the serializer caches per options instance.
    /// </summary>
    public static JsonSerializerOptions Strict(JsonSerializerOptions options) => new(options)
    {
        // The fields are looked up by type (GetTypeInfo), which needs a resolver; reflection is what the serializer uses anyway.
        TypeInfoResolver = options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver(),
        AllowDuplicateProperties = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new WholeNumberJsonConverter() },
    };

    public static Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
        where T : class => ReadAsync<T>(request, maxBytes, Json, cancellationToken);

    /// <param name="options">Made by <see cref="Strict"/>.</param>
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, long maxBytes, JsonSerializerOptions options, CancellationToken cancellationToken)
        where T : class
    {
        if (NotJson(request) is { } notJson)
        {
            return (null, notJson);
        }
        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }
        using var body = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (body.Length + read > maxBytes)
            {
                return (null, TooLarge(maxBytes));
            }
            body.Write(chunk, 0, read);
        }
        var bytes = body.GetBuffer().AsMemory(0, (int)body.Length);
        if (bytes.Length == 0)
        {
            return (null, Invalid("body", "the request has no body: send a JSON object"));
        }
        try
        {
            using var document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, Invalid("body", $"must be a JSON object, not {document.RootElement.ValueKind.ToString().ToLowerInvariant()}"));
            }
            if ((Duplicate(document.RootElement, "") ?? Unknown(document.RootElement, typeof(T), options, "")) is { } field)
            {
                return (null, Invalid(field.Path, field.Message));
            }
        }
        catch (JsonException e)
        {
            return (null, Invalid("body", $"is not valid JSON: {Where(e)}"));
        }
        try
        {
            return (JsonSerializer.Deserialize<T>(bytes.Span, options), null);
        }
        catch (JsonException e)
        {
            // Well-formed JSON that does not fit: the path names the field ("$.name" -> "name").
            var field = e.Path is { Length: > 2 } path ? path[2..] : "body";
            return (null, Invalid(field, e is JsonRuleException ? e.Message : $"has the wrong type ({Where(e)})"));
        }
    }

    // The first key given twice in one object, at any depth. Keys are matched without case, as the fields are.
    private static (string Path, string Message)? Duplicate(JsonElement json, string path)
    {
        if (json.ValueKind == JsonValueKind.Object)
        {
            var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in json.EnumerateObject())
            {
                var field = Join(path, property.Name);
                if (!seen.TryAdd(property.Name, property.Name))
                {
                    var how = seen[property.Name] == property.Name ? "" : $" (as '{seen[property.Name]}' and '{property.Name}')";
                    return (field, $"is given twice{how}: give each key once");
                }
                if (Duplicate(property.Value, field) is { } inner)
                {
                    return inner;
                }
            }
        }
        else if (json.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in json.EnumerateArray())
            {
                if (Duplicate(item, $"{path}[{i++}]") is { } inner)
                {
                    return inner;
                }
            }
        }
        return null;
    }

    // The first key that is no field of its object's type, at any depth; an object with extension data takes any key.
    private static (string Path, string Message)? Unknown(JsonElement json, Type type, JsonSerializerOptions options, string path)
    {
        var info = options.GetTypeInfo(type);
        if (info.Kind == JsonTypeInfoKind.Object && json.ValueKind == JsonValueKind.Object)
        {
            var comparison = options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            var fields = info.Properties.Where(p => !p.IsExtensionData).ToList();
            var open = info.Properties.Any(p => p.IsExtensionData);
            foreach (var property in json.EnumerateObject())
            {
                var field = Join(path, property.Name);
                var match = fields.FirstOrDefault(p => p.Name.Equals(property.Name, comparison));
                if (match is null && !open)
                {
                    return (field, $"is not a field of this request (the fields{(path.Length == 0 ? "" : $" of {path}")} are {string.Join(", ", fields.Select(p => p.Name))})");
                }
                if (match is not null && Unknown(property.Value, match.PropertyType, options, field) is { } inner)
                {
                    return inner;
                }
            }
        }
        else if (info.Kind == JsonTypeInfoKind.Enumerable && info.ElementType is { } element && json.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in json.EnumerateArray())
            {
                if (Unknown(item, element, options, $"{path}[{i++}]") is { } inner)
                {
                    return inner;
                }
            }
        }
        return null;
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    /// <summary>
    /// 415 unless the body is declared JSON. A browser sends a cross-site form or a fetch without that header without
    /// asking the server first (a "simple" request); one that declares JSON it must ask about, and PalmLab never says yes.
    /// </summary>
    public static IResult? NotJson(HttpRequest request) => request.HasJsonContentType() ? null : TypedResults.Problem(
        statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
        detail: $"Send the body as JSON, with Content-Type: application/json; this one came {(request.ContentType is { Length: > 0 } type ? $"as {type}" : "without a Content-Type")}.");

    private static string Where(JsonException e) => $"line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}";

    private static IResult Invalid(string field, string message) =>
        FieldProblems.Of(field, message);

    private static IResult TooLarge(long maxBytes) => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large", detail: $"The body is larger than the {maxBytes:N0} bytes this request may have.");
}
