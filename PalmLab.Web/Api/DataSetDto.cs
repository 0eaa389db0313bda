using PalmLab.Web.Data;

namespace PalmLab.Web.Api;

public sealed record DataSetDto(int Id, string Name, int TrainImages, int ValidationImages, bool HasValidationFolder, string? ContentHash, DateTimeOffset CreatedAt)
{
    public static DataSetDto From(DataSet d) => new(d.Id, d.Name, d.TrainImages, d.ValidationImages, d.ValidDir is not null, d.ContentHash, d.CreatedAt);
}
