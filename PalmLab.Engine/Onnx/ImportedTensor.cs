using Onnx;

namespace PalmLab.Engine.Onnx;

/// <summary>A weight read from an ONNX file: its shape and values.</summary>
public sealed record ImportedTensor(long[] Shape, float[] Values)
{
    internal static ImportedTensor Of(TensorProto tensor, string what) => new([.. tensor.Dims], OnnxNodes.Floats(tensor, what));
}
