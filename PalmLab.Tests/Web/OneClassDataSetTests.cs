using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalmLab.Engine.DataSets;
using PalmLab.Tests.Web.Sweeps;
using PalmLab.Web.Data;

namespace PalmLab.Tests.Web;

/// <summary>
/// A data set registered before imports refused one class (its report says 0 pathologic) is refused when a run or a sweep
/// is queued on it, with the counts, instead of training to Completed with AUC null.
/// </summary>
public class OneClassDataSetTests : IDisposable
{
    private const string Message = "'one-class': the training images are all of one class: 0 pathologic, 12 normal or high myopia; training needs both.";
    private readonly PalmLabAppFactory _app = new();
    private readonly HttpClient _client;

    public OneClassDataSetTests() => _client = _app.CreateClient();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task PostRun_DataSetOfOneClass_Is400WithTheCounts()
    {
        await AddOneClassDataSetAsync();

        var response = await _client.PostAsJsonAsync("/api/runs", new { dataSet = "one-class", preset = "quick", epochs = 1 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(Message, problem.RootElement.GetProperty("errors").GetProperty("dataSet")[0].GetString());
    }

    [Fact]
    public async Task PostSweep_DataSetOfOneClass_Is400WithTheCounts()
    {
        await AddOneClassDataSetAsync();
        var sweep = JsonSerializer.SerializeToElement(SweepsApiTests.TinySweep(new { learningRate = new[] { 0.02, 0.005 } }));
        var body = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(sweep)!;
        body["dataSet"] = JsonSerializer.SerializeToElement("one-class");

        var response = await _client.PostAsJsonAsync("/api/sweeps", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(Message, problem.RootElement.GetProperty("errors").GetProperty("dataSet")[0].GetString());
    }

    private async Task AddOneClassDataSetAsync()
    {
        var tiny = await WithDbAsync(db => db.DataSets.AsNoTracking().SingleAsync(d => d.Name == "tiny"));
        var report = new DataSetReport(12, 10, 2, 0, 0, 0, 0, [], "hash", []);
        await WithDbAsync(async db =>
        {
            db.DataSets.Add(new DataSet
            {
                Name = "one-class",
                Path = tiny.Path,
                TrainDir = tiny.TrainDir,
                TrainImages = 12,
                ReportJson = JsonSerializer.Serialize(report, DataSetJson.Options),
                CreatedAt = DateTimeOffset.UtcNow,
            });
            return await db.SaveChangesAsync();
        });
    }

    private async Task<T> WithDbAsync<T>(Func<PalmLabDbContext, Task<T>> work)
    {
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<PalmLabDbContext>>().CreateDbContextAsync();
        return await work(db);
    }
}
