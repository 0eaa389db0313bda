using System.Text.Json;
using PalmLab.Engine.Training;

namespace PalmLab.Engine.Sweeps;

/// <summary>
/// Reads a sweep file. Either just a space (<c>{"depth": [18, 34]}</c>), or an object with a <c>"space"</c> key and any
/// of <c>preset</c>, <c>base</c> (options laid over the preset), <c>strategy</c> (grid|random), <c>trials</c>,
/// <c>seed</c> (random search's draws), <c>metric</c> (auc|accuracy), <c>budget</c> and <c>medianStopping</c>
/// (<c>{"minEpochs": 2, "minCompletedTrials": 2}</c>, or <c>false</c> for none). <see cref="SweepOverrides"/> given
/// beside the file replace its settings; their base options go over the file's.
/// </summary>
public static class SweepSpecFile
{
    public static readonly IReadOnlyList<string> Keys = ["space", "preset", "base", "strategy", "trials", "seed", "metric", "budget", "medianStopping"];

    /// <summary>The spec, or every problem with the file and the overrides, each naming its option or setting.</summary>
    public static (SweepSpec? Spec, IReadOnlyList<OptionError> Errors) Parse(string json, SweepOverrides? overrides = null)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return Parse(document.RootElement, overrides ?? new SweepOverrides());
        }
        catch (JsonException e)
        {
            return (null, [new OptionError("Space", $"is not valid JSON: {e.Message}")]);
        }
    }

    private static (SweepSpec? Spec, IReadOnlyList<OptionError> Errors) Parse(JsonElement root, SweepOverrides overrides)
    {
        var errors = new List<OptionError>();
        var isSpec = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("space", out _);
        JsonElement Get(string key) => isSpec && root.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null ? value : default;
        if (isSpec)
        {
            foreach (var key in root.EnumerateObject().Select(p => p.Name).Where(k => !Keys.Contains(k)))
            {
                errors.Add(new OptionError(key, $"is not a sweep setting (the settings are {string.Join(", ", Keys)}; options to vary go under \"space\", fixed ones under \"base\")"));
            }
        }
        var (space, spaceErrors) = SweepSpace.Parse(isSpec ? root.GetProperty("space") : root);
        errors.AddRange(spaceErrors);

        var baseOverrides = new List<KeyValuePair<string, object?>>();
        if (Get("base") is { ValueKind: JsonValueKind.Object } baseJson)
        {
            baseOverrides.AddRange(baseJson.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, (object?)p.Value.Clone())));
        }
        else if (Get("base").ValueKind != JsonValueKind.Undefined)
        {
            errors.Add(new OptionError("Base", "must be an object of options, such as {\"epochs\": 5}"));
        }
        baseOverrides.AddRange(overrides.Base);
        var preset = overrides.Preset ?? Text(Get("preset"), "Preset", errors);
        var (options, baseErrors) = TrainingPresets.Resolve(preset, baseOverrides, overrides.BackbonesDir);
        errors.AddRange(baseErrors);

        var strategy = Choice(overrides.Strategy ?? Text(Get("strategy"), "Strategy", errors), "Strategy", SweepStrategy.Grid, errors);
        var metric = Choice(overrides.Metric ?? Text(Get("metric"), "Metric", errors), "Metric", SweepMetric.Auc, errors);
        var spec = new SweepSpec
        {
            Preset = preset,
            Base = options,
            Space = space,
            Strategy = strategy,
            Metric = metric,
            RandomTrials = overrides.Trials ?? Whole(Get("trials"), "Trials", errors) ?? SweepSpec.DefaultRandomTrials,
            Seed = overrides.Seed ?? Whole(Get("seed"), "Seed", errors) ?? 0,
            Budget = overrides.Budget ?? Whole(Get("budget"), "Budget", errors),
            Stopping = Stopping(Get("medianStopping"), errors),
            BackbonesDir = overrides.BackbonesDir,
        };
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        var invalid = spec.Validate();
        return invalid.Count == 0 ? (spec, []) : (null, invalid);
    }

    private static MedianStopping? Stopping(JsonElement json, List<OptionError> errors)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.True:
                return new MedianStopping();
            case JsonValueKind.False:
                return null;
            case JsonValueKind.Object:
                foreach (var key in json.EnumerateObject().Select(p => p.Name).Where(k => k is not ("minEpochs" or "minCompletedTrials")))
                {
                    errors.Add(new OptionError("MedianStopping", $"has '{key}', which is not minEpochs or minCompletedTrials"));
                }
                return new MedianStopping(
                    Whole(json.TryGetProperty("minEpochs", out var e) ? e : default, "MedianStopping", errors) ?? MedianStopping.DefaultMinEpochs,
                    Whole(json.TryGetProperty("minCompletedTrials", out var c) ? c : default, "MedianStopping", errors) ?? MedianStopping.DefaultMinCompletedTrials);
            default:
                errors.Add(new OptionError("MedianStopping", $"must be an object such as {{\"minEpochs\": 2, \"minCompletedTrials\": 2}}, or false, not {json.GetRawText()}"));
                return null;
        }
    }

    private static T Choice<T>(string? text, string setting, T fallback, List<OptionError> errors) where T : struct, Enum
    {
        if (text is null)
        {
            return fallback;
        }
        var name = Enum.GetNames<T>().FirstOrDefault(n => n.Equals(text.Trim(), StringComparison.OrdinalIgnoreCase));
        if (name is null)
        {
            errors.Add(new OptionError(setting, $"must be {string.Join(" or ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}, not '{text}'"));
            return fallback;
        }
        return Enum.Parse<T>(name);
    }

    private static string? Text(JsonElement json, string setting, List<OptionError> errors)
    {
        if (json.ValueKind == JsonValueKind.Undefined)
        {
            return null;
        }
        if (json.ValueKind == JsonValueKind.String)
        {
            return json.GetString();
        }
        errors.Add(new OptionError(setting, $"must be text, not {json.GetRawText()}"));
        return null;
    }

    private static int? Whole(JsonElement json, string setting, List<OptionError> errors)
    {
        if (json.ValueKind == JsonValueKind.Undefined)
        {
            return null;
        }
        if (json.ValueKind == JsonValueKind.Number && WholeNumber.TryRead(json.GetRawText(), int.MinValue, int.MaxValue, out var value, out _))
        {
            return (int)value;
        }
        errors.Add(new OptionError(setting, $"must be a whole number, not {json.GetRawText()}"));
        return null;
    }
}
