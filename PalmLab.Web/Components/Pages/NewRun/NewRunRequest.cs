using System.Text.Json;
using PalmLab.Engine.Training;
using PalmLab.Web.Runs;

namespace PalmLab.Web.Components.Pages.NewRun;

/// <summary>The form as the <see cref="RunRequest"/> that <see cref="RunService.QueueAsync"/> and the API take, every option spelled out.</summary>
public static class NewRunRequest
{
    public static RunRequest Build(TrainingOptions options, int? dataSetId, string? name, string? notes, string? tags) => new()
    {
        DataSetId = dataSetId,
        Name = string.IsNullOrWhiteSpace(name) ? null : name,
        Notes = string.IsNullOrWhiteSpace(notes) ? null : notes,
        Tags = tags,
        // Each option as its JSON value, laid over the reference recipe: the result is exactly the form's options.
        Options = TrainingOption.All.ToDictionary(o => o.JsonName, o => ToJson(o.GetValue(options))),
    };

    private static JsonElement ToJson(object? value) => value switch
    {
        Enum e => JsonSerializer.SerializeToElement(e.ToString()),
        _ => JsonSerializer.SerializeToElement(value),
    };
}
