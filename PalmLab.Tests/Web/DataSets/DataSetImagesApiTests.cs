using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using PalmLab.Tests.Support;
using PalmLab.Web.Api;
using PalmLab.Web.DataSets;
using SixLabors.ImageSharp;

namespace PalmLab.Tests.Web.DataSets;

/// <summary>GET /api/datasets/{id}/images/{class}/{n}: thumbnails of a data set's own images, by index, and nothing else.</summary>
public sealed class DataSetImagesApiTests : IDisposable
{
    private readonly PalmLabAppFactory _app = new();
    private readonly HttpClient _client;

    public DataSetImagesApiTests() => _client = _app.CreateClient();

    public void Dispose() => _app.Dispose();

    private async Task<int> TinyIdAsync()
    {
        var sets = await _client.GetFromJsonAsync<List<DataSetDto>>("/api/datasets", ApiClient.Json);
        return sets!.Single(d => d.Name == "tiny").Id;
    }

    [Theory]
    [InlineData("normal", 7, 40)]
    [InlineData("high-myopia", 1, 40)]
    [InlineData("pathologic", 0, 40)]
    public async Task Get_ImageOfTheDataSet_IsAJpegThumbnailWithCacheHeaders(string kind, int index, int size)
    {
        var id = await TinyIdAsync();

        var response = await _client.GetAsync($"/api/datasets/{id}/images/{kind}/{index}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("max-age", response.Headers.CacheControl?.ToString());
        using var image = Image.Load(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal((size, size), (image.Width, image.Height)); // 40 px images stay 40 px: a thumbnail never enlarges

        var again = new HttpRequestMessage(HttpMethod.Get, $"/api/datasets/{id}/images/{kind}/{index}");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await _client.SendAsync(again)).StatusCode);
    }

    [Fact]
    public async Task Get_LargeImage_IsScaledDownToTheThumbnailSize()
    {
        var folder = Path.Combine(_app.DataSetsDir, "large", "PALM-Training400");
        TestImages.WriteTrainingFolder(folder, normal: 1, high: 1, pathologic: 1, size: 700);
        // Folders are registered at start-up, and the app started before this one was written.
        await _app.Services.GetRequiredService<DataSetRegistry>().SyncAsync(CancellationToken.None);
        var id = (await _client.GetFromJsonAsync<List<DataSetDto>>("/api/datasets", ApiClient.Json))!.Single(d => d.Name == "large").Id;

        var bytes = await _client.GetByteArrayAsync($"/api/datasets/{id}/images/pathologic/0");

        using var image = Image.Load(bytes);
        Assert.Equal((DataSetsApi.ThumbnailSize, DataSetsApi.ThumbnailSize), (image.Width, image.Height));
    }

    [Theory]
    [InlineData("/api/datasets/{id}/images/glaucoma/0", "There is no class 'glaucoma'")]
    [InlineData("/api/datasets/{id}/images/normal/8", "has 8 readable normal training image(s); there is no number 8")]
    [InlineData("/api/datasets/{id}/images/normal/-1", "there is no number -1")]
    [InlineData("/api/datasets/999/images/normal/0", "Data set 999 does not exist.")]
    public async Task Get_UnknownClassIndexOrDataSet_Is404WithTheReason(string path, string reason)
    {
        var id = await TinyIdAsync();

        var response = await _client.GetAsync(path.Replace("{id}", id.ToString()));

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound, path);
        Assert.Contains(reason, problem.Detail);
    }

    [Theory]
    [InlineData("/api/datasets/{id}/images/normal/..%2F..%2Fdataset.json")]
    [InlineData("/api/datasets/{id}/images/..%2F..%2F..%2Fpalmlab.db/0")]
    [InlineData("/api/datasets/{id}/images/normal/0%2F..%2F..%2Fdataset.json")]
    [InlineData("/api/datasets/{id}/images/PALM-Training400%2FN0001.jpg/0")]
    public async Task Get_PathInsteadOfClassOrIndex_IsRefusedWithoutAnyFile(string path)
    {
        var id = await TinyIdAsync();

        var response = await _client.GetAsync(path.Replace("{id}", id.ToString()));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotEqual("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("\"name\"", await response.Content.ReadAsStringAsync()); // not the manifest
    }
}
