using System.Globalization;
using System.Text.Json.Nodes;
using PalmLab.Engine.Training;

namespace PalmLab.Web.Components.Pages.Sweeps;

/// <summary>How one option takes part in a sweep on the form: not at all, a list of values, or a numeric range.</summary>
public enum SpaceMode
{
    Off,
    List,
    Range,
}

/// <summary>One option's row of the new-sweep form, as the user typed it.</summary>
public sealed class SpaceRow(TrainingOption option)
{
    public TrainingOption Option { get; } = option;

    public SpaceMode Mode { get; set; }

    /// <summary>Comma-separated values: <c>18, 34</c>, <c>true, false</c>, <c>cosine, step</c>.</summary>
    public string Values { get; set; } = "";

    public double? Min { get; set; }

    public double? Max { get; set; }

    public bool Log { get; set; }

    /// <summary>Points from min to max that a grid takes (random search draws anywhere in the range).</summary>
    public int? Points { get; set; } = 3;

    public bool IsNumeric => Option.Type == typeof(int) || Option.Type == typeof(double);

    private List<string> Items => Values.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();

    /// <summary>A list of one value fixes the option for every trial: it is sent as an override, not swept.</summary>
    public bool IsFixed => Mode == SpaceMode.List && Items.Count == 1;

    /// <summary>The row as the request's space takes it, or null when it is off or fixed.</summary>
    public JsonNode? SpaceJson(bool grid) => Mode switch
    {
        SpaceMode.List when !IsFixed => new JsonArray(Items.Select(Item).ToArray()),
        SpaceMode.Range => Range(grid),
        _ => null,
    };

    /// <summary>The fixed value as the request's overrides take it.</summary>
    public JsonNode? FixedJson => IsFixed ? Item(Items[0]) : null;

    private JsonObject Range(bool grid)
    {
        var range = new JsonObject { ["min"] = Min, ["max"] = Max, ["scale"] = Log ? "log" : "linear" };
        if (grid)
        {
            range["count"] = Points;
        }
        return range;
    }

    // Numbers and true/false go as JSON numbers and booleans, anything else as text, so the engine names a wrong value.
    private static JsonNode? Item(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? JsonValue.Create(number)
        : bool.TryParse(text, out var flag) ? JsonValue.Create(flag)
        : text.Equals("null", StringComparison.OrdinalIgnoreCase) ? null
        : JsonValue.Create(text);
}
