using System.Text.Json;

namespace PalmLab.Web.Api;

/// <summary>
/// Reads a JSON request body with a size bound, answering each kind of bad body with a problem that names its field:
/// 415 unless it is declared application/json, 413 past the bound, 400 for broken JSON (with its line and position) or
/// a value of the wrong type.
/// </summary>
public static class JsonBody
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
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
        }
        catch (JsonException e)
        {
            return (null, Invalid("body", $"is not valid JSON: {Where(e)}"));
        }
        try
        {
            return (JsonSerializer.Deserialize<T>(bytes.Span, Json), null);
        }
        catch (JsonException e)
        {
            // Well-formed JSON that does not fit: the path names the field ("$.name" -> "name").
            var field = e.Path is { Length: > 2 } path ? path[2..] : "body";
            return (null, Invalid(field, $"has the wrong type ({Where(e)})"));
        }
    }

    /// <summary>
    /// 415 unless the body is declared JSON. A browser sends a cross-site form or a fetch without that header without
    /// asking the server first (a "simple" request); one that declares JSON it must ask about, and PalmLab never says yes.
    /// </summary>
    public static IResult? NotJson(HttpRequest request) => request.HasJsonContentType() ? null : TypedResults.Problem(
        statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
        detail: $"Send the body as JSON, with Content-Type: application/json; this one came {(request.ContentType is { Length: > 0 } type ? $"as {type}" : "without a Content-Type")}.");

    private static string Where(JsonException e) => $"line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}";

    private static IResult Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    private static IResult TooLarge(long maxBytes) => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large", detail: $"The body is larger than the {maxBytes:N0} bytes this request may have.");
}
