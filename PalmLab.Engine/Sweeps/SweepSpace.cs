using System.Text.Json;
using System.Text.Json.Serialization;
using PalmLab.Engine.Training;

namespace PalmLab.Engine.Sweeps;

/// <summary>
/// What a sweep varies: for each option (any name the catalogue accepts: <c>learningRate</c>, <c>lr</c>,
/// <c>LearningRate</c>) a list of values or a numeric range, in the order given. As JSON:
/// <c>{"depth": [18, 34], "augmentFlip": [true, false], "learningRate": {"min": 0.001, "max": 0.1, "scale": "log", "count": 3}}</c>.
/// </summary>
[JsonConverter(typeof(SweepSpaceJsonConverter))]
public sealed record SweepSpace(IReadOnlyList<SweepDimension> Dimensions)
{
    public static readonly SweepSpace Empty = new([]);

    /// <summary>The number of grid trials (the product of the dimensions' grid counts); null when a range has no grid.</summary>
    public double? GridSize => Dimensions.Aggregate((double?)1, (size, d) => d.GridCount is { } n ? size * n : null);

    /// <summary>Parses a space from JSON text; every problem is reported, each naming its option.</summary>
    public static (SweepSpace Space, IReadOnlyList<OptionError> Errors) Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return Parse(document.RootElement);
        }
        catch (JsonException e)
        {
            return (Empty, [new OptionError("Space", $"is not valid JSON: {e.Message}")]);
        }
    }

    /// <summary>Parses a space from a JSON object; every problem is reported, each naming its option.</summary>
    public static (SweepSpace Space, IReadOnlyList<OptionError> Errors) Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (Empty, [new OptionError("Space", "must be a JSON object of options, such as {\"depth\": [18, 34]}")]);
        }
        var errors = new List<OptionError>();
        var dimensions = new List<SweepDimension>();
        var seen = new HashSet<string>();
        foreach (var property in root.EnumerateObject())
        {
            if (TrainingOption.Find(property.Name) is not { } option)
            {
                errors.Add(new OptionError(property.Name, $"is not an option (the options are {string.Join(", ", TrainingOption.All.Select(o => o.JsonName))})"));
                continue;
            }
            if (!seen.Add(option.Name))
            {
                errors.Add(new OptionError(option.Name, "is given twice in the space"));
                continue;
            }
            var before = errors.Count;
            var dimension = property.Value.ValueKind switch
            {
                JsonValueKind.Array => ParseList(option, property.Value, errors),
                JsonValueKind.Object => ParseRange(option, property.Value, errors),
                _ => Refuse(errors, option, "must be a list of values ([18, 34]) or a range ({\"min\": 0.001, \"max\": 0.1})"),
            };
            if (dimension is not null && errors.Count == before)
            {
                dimensions.Add(dimension);
            }
        }
        if (errors.Count == 0 && dimensions.Count == 0)
        {
            errors.Add(new OptionError("Space", "names no option: give at least one, such as {\"depth\": [18, 34]}"));
        }
        return (new SweepSpace(dimensions), errors);
    }

    /// <summary>The space as JSON text in the format <see cref="Parse(string)"/> reads.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true });

    private static SweepDimension? ParseList(TrainingOption option, JsonElement list, List<OptionError> errors)
    {
        if (list.GetArrayLength() == 0)
        {
            return Refuse(errors, option, "is an empty list: give at least one value");
        }
        var values = new List<object?>();
        var position = 0;
        foreach (var item in list.EnumerateArray())
        {
            position++;
            if (option.TryConvert(item, out var value, out var error))
            {
                values.Add(value);
            }
            else
            {
                errors.Add(new OptionError(option.Name, $"value {position} {error}"));
            }
        }
        return new SweepDimension { Option = option.Name, Values = values.Distinct().ToList() };
    }

    private static SweepDimension? ParseRange(TrainingOption option, JsonElement range, List<OptionError> errors)
    {
        if (option.Type != typeof(int) && option.Type != typeof(double))
        {
            return Refuse(errors, option, $"takes a list of values, not a range ({option.JsonName} is {(option.Type == typeof(bool) ? "true or false" : option.Type == typeof(string) ? "a name" : "one of " + option.EnumNames)})");
        }
        var before = errors.Count;
        foreach (var key in range.EnumerateObject().Select(p => p.Name).Where(k => k is not ("min" or "max" or "scale" or "step" or "count")))
        {
            errors.Add(new OptionError(option.Name, $"range has '{key}', which is not one of min, max, scale, step, count"));
        }
        var min = RangeNumber(option, range, "min", true, errors);
        var max = RangeNumber(option, range, "max", true, errors);
        var step = RangeNumber(option, range, "step", false, errors);
        var count = RangeCount(option, range, errors);
        var scale = RangeScale(option, range, errors);
        if (min > max)
        {
            errors.Add(new OptionError(option.Name, FormattableString.Invariant($"range min {min} is above max {max}")));
        }
        if (scale == SweepScale.Log && min <= 0)
        {
            errors.Add(new OptionError(option.Name, FormattableString.Invariant($"a log range needs a min above 0, not {min}")));
        }
        if (step is not null && count is not null)
        {
            errors.Add(new OptionError(option.Name, "range takes a step or a count, not both"));
        }
        else if (step is not null && scale == SweepScale.Log)
        {
            errors.Add(new OptionError(option.Name, "a log range takes a count of points, not a step"));
        }
        else if (step <= 0)
        {
            errors.Add(new OptionError(option.Name, FormattableString.Invariant($"range step must be above 0, not {step}")));
        }
        return errors.Count > before || min is null || max is null
            ? null
            : new SweepDimension { Option = option.Name, Range = new SweepRange(min.Value, max.Value, scale, step, count) };
    }

    // A bound or step of the range, converted as the option's own values are, or null with the error added.
    private static double? RangeNumber(TrainingOption option, JsonElement range, string key, bool required, List<OptionError> errors)
    {
        if (!range.TryGetProperty(key, out var raw))
        {
            if (required)
            {
                errors.Add(new OptionError(option.Name, $"range needs \"{key}\""));
            }
            return null;
        }
        if (option.TryConvert(raw, out var value, out var error) && value is not null)
        {
            return Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
        }
        errors.Add(new OptionError(option.Name, $"range {key} {error}"));
        return null;
    }

    private static int? RangeCount(TrainingOption option, JsonElement range, List<OptionError> errors)
    {
        if (!range.TryGetProperty("count", out var countJson))
        {
            return null;
        }
        if (countJson.ValueKind == JsonValueKind.Number && WholeNumber.TryRead(countJson.GetRawText(), 2, SweepRange.MaxCount, out var c, out _))
        {
            return (int)c;
        }
        errors.Add(new OptionError(option.Name, $"range count must be a whole number from 2 to {SweepRange.MaxCount:N0}, not {countJson.GetRawText()}"));
        return null;
    }

    private static SweepScale RangeScale(TrainingOption option, JsonElement range, List<OptionError> errors)
    {
        if (!range.TryGetProperty("scale", out var scaleJson))
        {
            return SweepScale.Linear;
        }
        if (scaleJson.ValueKind == JsonValueKind.String && Enum.TryParse<SweepScale>(scaleJson.GetString(), true, out var s) && Enum.IsDefined(s))
        {
            return s;
        }
        errors.Add(new OptionError(option.Name, $"range scale must be \"linear\" or \"log\", not {scaleJson.GetRawText()}"));
        return SweepScale.Linear;
    }

    private static SweepDimension? Refuse(List<OptionError> errors, TrainingOption option, string message)
    {
        errors.Add(new OptionError(option.Name, message));
        return null;
    }
}
