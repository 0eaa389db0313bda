using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using PalmLab.Engine.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PalmLab.Engine.Training;

/// <summary>
/// One file per checkpoint: a magic string, a JSON header (<see cref="CheckpointHeader"/>), the model's state dict
/// and, optionally, the optimizer's state. Written to a temporary file and renamed, so a crash never leaves half a file.
/// </summary>
public static class Checkpoint
{
    private const string Magic = "PALMLAB-CHECKPOINT";
    // Format 2 nests the training options in the configuration (format 1 had them flat); both are read.
    private const int FormatVersion = 2;

    internal static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Writes model (and optimizer) state atomically to <paramref name="path"/>.</summary>
    public static void Save(string path, CheckpointHeader header, ResNet model, SGD? optimizer)
    {
        try
        {
            AtomicFile.Write(path, stream =>
            {
                using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
                writer.Write(Magic);
                writer.Write(FormatVersion);
                writer.Write(JsonSerializer.Serialize(header, Json));
                model.save(writer);
                writer.Write(optimizer is not null);
                optimizer?.save_state_dict(writer);
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PalmLabException($"Cannot write checkpoint {path}: {e.Message}. The previous checkpoint is left as it was.", e);
        }
    }

    /// <summary>
    /// Makes "best" the same file as "last" at once: a hard link where the file system allows (no second write of the
    /// model; "last" is replaced by a rename each epoch, so "best" keeps its own), else a copy.
    /// </summary>
    public static void Link(string last, string best) => Place(best, () => AtomicFile.Link(last, best));

    /// <summary>Copies a checkpoint atomically (a checkpoint from elsewhere, taken as a run's best).</summary>
    public static void Copy(string source, string destination) => Place(destination, () => AtomicFile.Copy(source, destination));

    private static void Place(string destination, Action place)
    {
        try
        {
            place();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PalmLabException($"Cannot write checkpoint {destination}: {e.Message}.", e);
        }
    }

    /// <summary>Reads only the header, to learn which model a checkpoint holds.</summary>
    public static CheckpointHeader ReadHeader(string path)
    {
        using var reader = Open(path);
        return ReadHeader(reader, path);
    }

    /// <summary>
    /// Loads weights into <paramref name="model"/> (and state into <paramref name="optimizer"/>), after checking that
    /// the checkpoint holds a model of the same depth.
    /// </summary>
    public static CheckpointHeader Load(string path, ResNet model, SGD? optimizer = null)
    {
        using var reader = Open(path);
        var header = ReadHeader(reader, path);
        if (header.Config.Options.Depth != model.Depth)
        {
            throw new PalmLabException($"{path} holds a ResNet-{header.Config.Options.Depth}, not the ResNet-{model.Depth} asked for.");
        }
        try
        {
            model.load(reader, strict: true);
            var hasOptimizer = reader.ReadBoolean();
            if (optimizer is not null)
            {
                if (!hasOptimizer)
                {
                    throw new PalmLabException($"{path} holds no optimizer state, so training cannot resume from it.");
                }
                optimizer.load_state_dict(reader);
            }
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or InvalidDataException or IOException)
        {
            throw new PalmLabException($"{path} is damaged or not a PalmLab checkpoint ({e.Message}).", e);
        }
        return header;
    }

    /// <summary>Builds the model a checkpoint holds, on <paramref name="device"/>, in evaluation mode.</summary>
    public static (ResNet Model, CheckpointHeader Header) LoadModel(string path, Device device)
    {
        var header = ReadHeader(path);
        var model = new ResNet(header.NetworkArchitecture);
        Load(path, model);
        model.to(device);
        model.eval();
        return (model, header);
    }

    private static BinaryReader Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new PalmLabException($"Checkpoint {path} does not exist.");
        }
        try
        {
            return new BinaryReader(File.OpenRead(path), Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PalmLabException($"Checkpoint {path} cannot be read: {e.Message}", e);
        }
    }

    private static CheckpointHeader ReadHeader(BinaryReader reader, string path)
    {
        try
        {
            if (reader.ReadString() != Magic)
            {
                throw new InvalidDataException("wrong magic");
            }
            var version = reader.ReadInt32();
            if (version is < 1 or > FormatVersion)
            {
                throw new PalmLabException($"{path} is a checkpoint of format {version}; this PalmLab reads formats 1 to {FormatVersion}.");
            }
            var json = reader.ReadString();
            var header = version == 1 ? NestOptions(JsonNode.Parse(json)).Deserialize<CheckpointHeader>(Json) : JsonSerializer.Deserialize<CheckpointHeader>(json, Json);
            return header ?? throw new InvalidDataException("empty header");
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or JsonException or IOException or FormatException)
        {
            throw new PalmLabException($"{path} is not a PalmLab checkpoint ({e.Message}).", e);
        }
    }

    // Format 1 kept the options beside the folders in "Config"; move each option into "Config.Options".
    private static JsonNode? NestOptions(JsonNode? header)
    {
        if (header?["Config"] is JsonObject config)
        {
            var options = new JsonObject();
            foreach (var option in TrainingOption.All)
            {
                if (config.Remove(option.Name, out var value))
                {
                    options[option.Name] = value;
                }
            }
            // Format 1 had no fractional decay steps; its absent value meant the whole run, as null does now.
            options[nameof(TrainingOptions.DecaySteps)] ??= null;
            config["Options"] = options;
        }
        return header;
    }
}
