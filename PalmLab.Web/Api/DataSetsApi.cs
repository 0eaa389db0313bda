using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PalmLab.Web.Data;
using PalmLab.Web.DataSets;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace PalmLab.Web.Api;

/// <summary>The registered data sets, and their sample images as small JPEG thumbnails for the Data sets page.</summary>
public static class DataSetsApi
{
    /// <summary>The longest side of a thumbnail, in pixels: the page shows them at about half that.</summary>
    public const int ThumbnailSize = 320;

    public static IEndpointRouteBuilder MapDataSetsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/datasets", ListDataSets)
            .WithTags("PalmLab")
            .WithName("ListDataSets")
            .WithSummary("Registered data sets with their class counts and reports");
        app.MapGet("/api/datasets/{id:int}/images/{kind}/{index:int}", GetSampleImage)
            .WithTags("PalmLab")
            .WithName("GetDataSetSampleImage")
            .WithSummary("The index-th readable training image of a class (normal, high-myopia, pathologic) as a JPEG thumbnail");
        return app;
    }

    private static async Task<List<DataSetDto>> ListDataSets(IDbContextFactory<PalmLabDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await db.DataSets.OrderBy(d => d.Name).ToListAsync(ct)).Select(DataSetDto.From).ToList();
    }

    private static async Task<Results<FileContentHttpResult, StatusCodeHttpResult, ProblemHttpResult>> GetSampleImage(
        int id, string kind, int index, HttpContext http, IDbContextFactory<PalmLabDbContext> dbFactory, CancellationToken ct)
    {
        if (!DataSetSamples.TryParse(kind, out var fundusClass))
        {
            return NotFound($"There is no class '{kind}': use {string.Join(", ", DataSetSamples.Classes.Select(c => c.Slug))}.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var dataSet = await db.DataSets.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, ct);
        if (dataSet is null)
        {
            return NotFound($"Data set {id} does not exist.");
        }
        var files = DataSetSamples.Files(dataSet, fundusClass);
        if (index < 0 || index >= files.Count)
        {
            return NotFound($"Data set {id} has {files.Count} readable {kind} training image(s); there is no number {index} (counting from 0).");
        }
        // The same data set content gives the same thumbnail: the browser may keep it and ask again with its tag.
        var tag = $"\"{(dataSet.ContentHash ?? "none")[..Math.Min(16, (dataSet.ContentHash ?? "none").Length)]}-{kind}-{index}-{ThumbnailSize}\"";
        http.Response.Headers.CacheControl = "private, max-age=86400";
        http.Response.Headers.ETag = tag;
        if (http.Request.Headers.IfNoneMatch.Contains(tag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        try
        {
            using var image = await Image.LoadAsync<Rgb24>(files[index], ct);
            if (image.Width > ThumbnailSize || image.Height > ThumbnailSize)
            {
                image.Mutate(x => x.Resize(new ResizeOptions { Size = new Size(ThumbnailSize, ThumbnailSize), Mode = ResizeMode.Max }));
            }
            using var output = new MemoryStream();
            await image.SaveAsJpegAsync(output, new JpegEncoder { Quality = 82 }, ct);
            return TypedResults.File(output.ToArray(), "image/jpeg");
        }
        catch (Exception e) when (e is ImageFormatException or UnknownImageFormatException or IOException or UnauthorizedAccessException)
        {
            return NotFound($"Image {index} of class {kind} in data set {id} cannot be read any more.");
        }
    }

    private static ProblemHttpResult NotFound(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound);
}
