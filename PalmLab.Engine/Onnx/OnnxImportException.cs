namespace PalmLab.Engine.Onnx;

/// <summary>Why a graph cannot be mapped to a ResNet; the importer prefixes it with the file's name.</summary>
internal sealed class OnnxImportException(string reason) : Exception(reason);
