using System.Text.Json;
using PalmLab.Engine.DataSets;
using PalmLab.Web.Data;

namespace PalmLab.Web.Api;

/// <summary>A registered data set with the engine's report (counts, image sizes, content hash, problems).</summary>
public sealed record DataSetDto(
    int Id, string Name, int TrainImages, int ValidationImages, bool HasValidationFolder, string? ContentHash, DateTimeOffset CreatedAt, DataSetReport? Report)
{
    public static DataSetDto From(DataSet d) => new(
        d.Id, d.Name, d.TrainImages, d.ValidationImages, d.ValidDir is not null, d.ContentHash, d.CreatedAt,
        d.ReportJson is null ? null : JsonSerializer.Deserialize<DataSetReport>(d.ReportJson, DataSetJson.Options));
}
