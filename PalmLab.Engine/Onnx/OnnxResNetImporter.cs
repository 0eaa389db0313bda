using Google.Protobuf;
using Onnx;

namespace PalmLab.Engine.Onnx;

/// <summary>
/// Reads a ResNet-shaped ONNX file (CNTK's ImageNet ResNet-18 of ML.NET's package, or torchvision's ResNet-18/34/50/101/152
/// as <c>torch.onnx.export</c> writes them) into its architecture and weights, or refuses it with a message that names the
/// node, op or shape it could not map.
/// </summary>
public static class OnnxResNetImporter
{
    /// <summary>Reads the file at <paramref name="path"/>; messages name only its file name, never the folder.</summary>
    public static ImportedResNet Read(string path)
    {
        var name = Path.GetFileName(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PalmLabException($"Cannot import {name}: the file cannot be read ({e.GetType().Name}).", e);
        }
        return Read(bytes, name);
    }

    /// <summary>Reads an ONNX model held in memory; <paramref name="name"/> is used in messages.</summary>
    public static ImportedResNet Read(byte[] bytes, string name)
    {
        var model = Parse(bytes, name);
        try
        {
            var (architecture, weights) = new ResNetGraphWalker(new OnnxGraph(model.Graph)).Walk();
            return new ImportedResNet(architecture, weights);
        }
        catch (OnnxImportException e)
        {
            throw new PalmLabException($"Cannot import {name}: {e.Message}.", e);
        }
    }

    /// <summary>Parses the bytes as an ONNX model with a graph, or refuses them as not ONNX.</summary>
    internal static ModelProto Parse(byte[] bytes, string name)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new PalmLabException($"Cannot import {name}: it is not an ONNX model ({e.Message}).", e);
        }
        if (model.Graph is null || model.Graph.Node.Count == 0)
        {
            throw new PalmLabException($"Cannot import {name}: it is not an ONNX model (it holds no graph).");
        }
        return model;
    }
}
