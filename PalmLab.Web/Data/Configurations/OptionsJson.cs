using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using PalmLab.Engine.Training;

namespace PalmLab.Web.Data.Configurations;

/// <summary>
/// Training options kept as one JSON column, for rows that only store a recipe (a sweep's base, a saved preset) and are
/// never filtered by an option; runs keep a column per option.
/// </summary>
public static class OptionsJson
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static readonly ValueConverter<TrainingOptions, string> Converter = new(
        o => JsonSerializer.Serialize(o, Json),
        s => JsonSerializer.Deserialize<TrainingOptions>(s, Json) ?? new TrainingOptions());

    // TrainingOptions is an immutable record: equal values are equal options, and the instance itself is its snapshot.
    public static readonly ValueComparer<TrainingOptions> Comparer = new(
        (a, b) => Equals(a, b), o => o.GetHashCode(), o => o);
}
