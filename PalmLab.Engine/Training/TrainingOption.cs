using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace PalmLab.Engine.Training;

/// <summary>
/// One property of <see cref="TrainingOptions"/> as the front ends see it: its names, help text and type, and how a
/// value typed by a user (command-line text or a JSON value) becomes a value of that type.
/// </summary>
public sealed class TrainingOption
{
    private readonly PropertyInfo _property;

    private TrainingOption(PropertyInfo property, OptionAttribute attribute)
    {
        _property = property;
        CliName = attribute.CliName;
        Description = attribute.Description;
        var underlying = Nullable.GetUnderlyingType(property.PropertyType);
        IsNullable = underlying is not null;
        Type = underlying ?? property.PropertyType;
    }

    /// <summary>Every option, in the order <see cref="TrainingOptions"/> declares them.</summary>
    public static IReadOnlyList<TrainingOption> All { get; } = typeof(TrainingOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.GetCustomAttribute<OptionAttribute>() is not null)
        .OrderBy(p => p.MetadataToken)
        .Select(p => new TrainingOption(p, p.GetCustomAttribute<OptionAttribute>()!))
        .ToList();

    /// <summary>The property name, as <see cref="OptionError.Option"/> carries it: <c>BatchSize</c>.</summary>
    public string Name => _property.Name;

    /// <summary><c>batch-size</c>, used as <c>--batch-size</c>.</summary>
    public string CliName { get; }

    /// <summary><c>batchSize</c>, as the API's JSON names it.</summary>
    public string JsonName => JsonNamingPolicy.CamelCase.ConvertName(Name);

    public string Description { get; }

    /// <summary>The value type, without <see cref="Nullable{T}"/>: int, double, bool, an enum or string (a name).</summary>
    public Type Type { get; }

    /// <summary>Whether the option may be empty (null), meaning "derive it from the run".</summary>
    public bool IsNullable { get; }

    /// <summary>The option of that property, command-line or JSON name (case-insensitive), or null.</summary>
    public static TrainingOption? Find(string name) => All.FirstOrDefault(o =>
        name.Equals(o.Name, StringComparison.OrdinalIgnoreCase) || name.Equals(o.CliName, StringComparison.OrdinalIgnoreCase));

    /// <summary>How a front end that uses <c>--kebab-case</c> names an option or another field (<c>TrainDir</c>).</summary>
    public static string CliNameOf(string name) => Find(name)?.CliName ?? JsonNamingPolicy.KebabCaseLower.ConvertName(name);

    /// <summary>How a front end that uses camelCase JSON names an option or another field (<c>Preset</c> is <c>preset</c>).</summary>
    public static string JsonNameOf(string name) => Find(name)?.JsonName ?? JsonNamingPolicy.CamelCase.ConvertName(name);

    public object? GetValue(TrainingOptions options) => _property.GetValue(options);

    /// <summary>A copy of <paramref name="options"/> with this option set to <paramref name="value"/> (already of its type).</summary>
    public TrainingOptions WithValue(TrainingOptions options, object? value)
    {
        var copy = options with { };
        _property.SetValue(copy, value);
        return copy;
    }

    /// <summary>
    /// Converts a user's value: command-line text, a <see cref="JsonElement"/>, or a value already of the option's type.
    /// Null (or JSON null) empties a nullable option. On failure, says what was expected.
    /// </summary>
    public bool TryConvert(object? raw, out object? value, out string error)
    {
        (value, error) = (null, "");
        if (raw is JsonElement { ValueKind: JsonValueKind.Number } number && Type == typeof(int))
        {
            // JSON has one number type: 2.0 and 1e2 are whole numbers (WholeNumber), then checked against the option's bounds.
            var ok = WholeNumber.TryRead(number.GetRawText(), int.MinValue, int.MaxValue, out var whole, out error);
            value = ok ? (int)whole : null;
            return ok;
        }
        if (raw is JsonElement json)
        {
            raw = json.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.String when Type.IsEnum || Type == typeof(string) => json.GetString(),
                JsonValueKind.Number when Type == typeof(int) || Type == typeof(double) => json.GetRawText(),
                JsonValueKind.True or JsonValueKind.False when Type == typeof(bool) => json.GetBoolean(),
                _ => json,
            };
            if (raw is JsonElement)
            {
                error = $"must be {Expected()}, not {Describe(json)}";
                return false;
            }
        }
        if (raw is null || (IsNullable && raw is string blank && string.IsNullOrWhiteSpace(blank)))
        {
            error = $"must be {Expected()}";
            return IsNullable;
        }
        if (Type == typeof(string))
        {
            // A name (such as a backbone's), trimmed; which names are allowed is the options' own check (TrainingOptions.Validate).
            value = raw is string name ? name.Trim() : null;
            error = value is null ? $"must be {Expected()}" : "";
            return value is not null;
        }
        if (Type.IsInstanceOfType(raw))
        {
            value = raw;
            return true;
        }
        var text = Convert.ToString(raw, CultureInfo.InvariantCulture)!.Trim();
        if (Type == typeof(int) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i))
        {
            value = i;
        }
        else if (Type == typeof(double) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
        {
            value = d;
        }
        else if (Type == typeof(bool) && bool.TryParse(text, out var b))
        {
            value = b;
        }
        else if (Type.IsEnum && Enum.GetNames(Type).FirstOrDefault(n => n.Equals(text, StringComparison.OrdinalIgnoreCase)) is { } name)
        {
            // By name only: Enum.TryParse would also take "1" or "polynomial,cosine" (a flag combination).
            value = Enum.Parse(Type, name);
        }
        else
        {
            error = $"must be {Expected()}, not '{text}'";
            return false;
        }
        return true;
    }

    private string Expected() =>
        Type == typeof(int) ? "a whole number"
        : Type == typeof(double) ? "a number"
        : Type == typeof(bool) ? "true or false"
        : Type == typeof(string) ? "a name"
        : "one of " + EnumNames;

    /// <summary>The names an enum option takes, in lower case: "constant, polynomial, cosine, step".</summary>
    public string EnumNames => Type.IsEnum ? string.Join(", ", Enum.GetNames(Type).Select(n => n.ToLowerInvariant())) : "";

    private static string Describe(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.String => $"the text '{json.GetString()}'",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        _ => json.GetRawText(),
    };
}
