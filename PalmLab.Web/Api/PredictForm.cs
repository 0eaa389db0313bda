using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using PalmLab.Engine;
using PalmLab.Engine.Inference;
using PalmLab.Web.Options;
using PalmLab.Web.Predictions;

using PalmLab.Web.Components.Shared;

namespace PalmLab.Web.Api;

/// <summary>
/// The multipart body of POST /api/predict, read as a stream: each file is held in memory only up to the per-file
/// bound (past it, the file gets an error and its remaining bytes are skipped), the whole body up to the request bound.
/// Nothing touches the disk, and the client's file names are only kept to be echoed.
/// </summary>
public sealed record PredictForm(IReadOnlyList<ImageUpload> Files, string? Checkpoint, double? Threshold, bool Cam, TestTimeAugmentation Tta)
{
    private const int MaxFieldBytes = 1024;
    private static readonly string[] Fields = ["checkpoint", "threshold", "cam", "tta"];

    /// <summary>The form, or the problem (400 or 413) that refuses the whole request.</summary>
    public static async Task<(PredictForm? Form, IResult? Problem)> ReadAsync(HttpRequest request, PalmLabOptions settings, CancellationToken cancellationToken)
    {
        if (request.ContentLength > settings.MaxPredictRequestBytes)
        {
            return (null, RequestTooLarge(settings));
        }
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 } boundary)
        {
            return (null, Invalid("body", "send multipart/form-data with one or more image files (curl -F file=@image.jpg)"));
        }

        var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = settings.MaxPredictRequestBytes };
        var files = new List<ImageUpload>();
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        long total = 0;
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    return (null, Invalid("body", "every part must be a form field (Content-Disposition: form-data)"));
                }
                if (disposition.IsFileDisposition())
                {
                    if (files.Count == settings.MaxPredictFiles)
                    {
                        return (null, TooLarge($"A request may hold at most {settings.MaxPredictFiles} files."));
                    }
                    var name = UploadName.Clean(disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : disposition.FileName.Value, files.Count);
                    var (bytes, read) = await ReadBoundedAsync(section.Body, settings.MaxPredictFileBytes, cancellationToken);
                    total += read;
                    files.Add(bytes is null
                        ? ImageUpload.Refused(name, $"{name}: the file is larger than the {ByteText.Format(settings.MaxPredictFileBytes)} an image may have.")
                        : new ImageUpload(name, bytes));
                }
                else
                {
                    var field = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                    if (!Fields.Contains(field, StringComparer.OrdinalIgnoreCase))
                    {
                        return (null, Invalid(field.Length == 0 ? "body" : field, $"is not a field of this request: send files, and optionally {string.Join(", ", Fields)}"));
                    }
                    var (bytes, read) = await ReadBoundedAsync(section.Body, MaxFieldBytes, cancellationToken);
                    total += read;
                    if (bytes is null)
                    {
                        return (null, Invalid(field, $"is longer than {MaxFieldBytes} bytes"));
                    }
                    fields[field] = System.Text.Encoding.UTF8.GetString(bytes).Trim();
                }
                if (total > settings.MaxPredictRequestBytes)
                {
                    return (null, RequestTooLarge(settings));
                }
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, RequestTooLarge(settings));
        }
        catch (InvalidDataException e)
        {
            // A broken multipart body (no closing boundary, over-long headers): the reader's message says which.
            return (null, Invalid("body", $"is not a readable multipart form ({e.Message})"));
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            return (null, Invalid("body", $"ended before the multipart form did ({e.Message})"));
        }

        if (files.Count == 0)
        {
            return (null, Invalid("file", "send one or more image files (JPEG or PNG), such as curl -F file=@image.jpg"));
        }
        double? threshold = null;
        if (fields.TryGetValue("threshold", out var t) && t.Length > 0)
        {
            if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value is <= 0 or >= 1 || double.IsNaN(value))
            {
                return (null, Invalid("threshold", $"must be a number between 0 and 1 (exclusive), not '{Shorten(t)}'"));
            }
            threshold = value;
        }
        var cam = false;
        if (fields.TryGetValue("cam", out var c) && c.Length > 0 && !bool.TryParse(c, out cam))
        {
            return (null, Invalid("cam", $"must be true or false, not '{Shorten(c)}'"));
        }
        var tta = TestTimeAugmentation.None;
        try
        {
            tta = TestTimeAugmentations.Parse(fields.GetValueOrDefault("tta"), "tta");
        }
        catch (PalmLabException)
        {
            return (null, Invalid("tta", $"must be none or flip, not '{Shorten(fields["tta"])}'"));
        }
        var checkpoint = fields.TryGetValue("checkpoint", out var k) && k.Length > 0 ? k : null;
        return (new PredictForm(files, checkpoint, threshold, cam, tta), null);
    }

    /// <summary>The part's bytes, or null when it has more than <paramref name="max"/> (read to its end all the same, and counted).</summary>
    private static async Task<(byte[]? Bytes, long Read)> ReadBoundedAsync(Stream body, long max, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        long read = 0;
        int n;
        while ((n = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            read += n;
            if (read <= max)
            {
                buffer.Write(chunk, 0, n);
            }
        }
        return (read <= max ? buffer.ToArray() : null, read);
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static IResult Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    private static IResult RequestTooLarge(PalmLabOptions settings) =>
        TooLarge($"The request is larger than the {ByteText.Format(settings.MaxPredictRequestBytes)} one prediction request may have; send fewer or smaller files.");

    private static IResult TooLarge(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request too large", detail: detail);
}
