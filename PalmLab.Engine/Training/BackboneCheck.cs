using PalmLab.Engine.Models;

namespace PalmLab.Engine.Training;

/// <summary>
/// What the options' <see cref="TrainingOptions.Backbone"/> asks of the rest of them, checked against the backbones a
/// folder offers (<see cref="Backbones.Backbones.Available"/>): the backbone exists, the depth is its own, and a backbone
/// that pads as CNTK does gets an image size that is a multiple of 32.
/// </summary>
public static class BackboneCheck
{
    /// <summary>Every problem of the options' backbone; empty from scratch, or when the backbone fits the options.</summary>
    public static IReadOnlyList<OptionError> Errors(TrainingOptions options, string? backbonesDir)
    {
        if (options.Backbone == Backbones.Backbones.Scratch || !TrainingOptions.IsBackboneName(options.Backbone))
        {
            return [];
        }
        var (architecture, error) = Find(options.Backbone, backbonesDir);
        if (architecture is null)
        {
            return [new OptionError(nameof(TrainingOptions.Backbone), error!)];
        }
        var errors = new List<OptionError>();
        if (architecture.Depth != options.Depth)
        {
            errors.Add(new OptionError(nameof(TrainingOptions.Depth),
                $"the backbone {options.Backbone} is a ResNet-{architecture.Depth}, not the ResNet-{options.Depth} asked for: give depth {architecture.Depth} or none"));
        }
        if (architecture.ShortEndPadding && options.ImageSize % 32 != 0)
        {
            errors.Add(new OptionError(nameof(TrainingOptions.ImageSize),
                $"the backbone {options.Backbone} pads its strided layers as CNTK does and takes image sizes that are multiples of 32 (such as 64, 224 or 256), not {options.ImageSize}"));
        }
        return errors;
    }

    /// <summary>The options with the depth of their backbone; unchanged from scratch or when the backbone is unknown (which <see cref="Errors"/> reports).</summary>
    public static TrainingOptions WithBackboneDepth(TrainingOptions options, string? backbonesDir) =>
        options.Backbone != Backbones.Backbones.Scratch && TrainingOptions.IsBackboneName(options.Backbone) &&
        Find(options.Backbone, backbonesDir).Architecture is { } architecture
            ? options with { Depth = architecture.Depth }
            : options;

    private static (ResNetArchitecture? Architecture, string? Error) Find(string name, string? backbonesDir)
    {
        try
        {
            var available = Backbones.Backbones.Available(backbonesDir);
            return available.Contains(name, StringComparer.Ordinal)
                ? (Backbones.Backbones.ArchitectureOf(name, backbonesDir), null)
                : (null, $"'{name}' is not one of the backbones: {string.Join(", ", available)}");
        }
        catch (PalmLabException e)
        {
            return (null, $"the backbone {name} cannot be read: {e.Message}");
        }
    }
}
