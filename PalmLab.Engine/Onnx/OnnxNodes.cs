using Onnx;

namespace PalmLab.Engine.Onnx;

/// <summary>Attribute and weight reading for ONNX nodes, with ONNX's defaults.</summary>
internal static class OnnxNodes
{
    /// <summary>The integer list attribute <paramref name="name"/>, or <paramref name="fallback"/> when absent.</summary>
    public static long[] Ints(NodeProto node, string name, long[] fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? [.. a.Ints] : fallback;

    /// <summary>The integer attribute <paramref name="name"/>, or <paramref name="fallback"/> when absent.</summary>
    public static long Int(NodeProto node, string name, long fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.I : fallback;

    /// <summary>The float attribute <paramref name="name"/>, or <paramref name="fallback"/> when absent.</summary>
    public static float Float(NodeProto node, string name, float fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.F : fallback;

    /// <summary>The string attribute <paramref name="name"/>, or <paramref name="fallback"/> when absent.</summary>
    public static string String(NodeProto node, string name, string fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.S.ToStringUtf8() : fallback;

    /// <summary>The values of a float tensor (float_data or little-endian raw_data).</summary>
    public static float[] Floats(TensorProto tensor, string what)
    {
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
        {
            throw new OnnxImportException($"{what} '{tensor.Name}' holds {(TensorProto.Types.DataType)tensor.DataType} values where PalmLab reads 32-bit floats");
        }
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            throw new OnnxImportException($"{what} '{tensor.Name}' is stored in an external file; save the model with its weights inside");
        }
        var count = tensor.Dims.Aggregate(1L, (n, d) => n * d);
        float[] values;
        if (tensor.FloatData.Count > 0)
        {
            values = [.. tensor.FloatData];
        }
        else
        {
            var raw = tensor.RawData.Span;
            values = new float[raw.Length / sizeof(float)];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(raw[(i * sizeof(float))..]);
            }
        }
        if (values.Length != count)
        {
            throw new OnnxImportException($"{what} '{tensor.Name}' has {values.Length} values for its shape {Shape(tensor.Dims)}");
        }
        return values;
    }

    /// <summary>A shape as "64x3x7x7".</summary>
    public static string Shape(IEnumerable<long> dims) => string.Join("x", dims);
}
