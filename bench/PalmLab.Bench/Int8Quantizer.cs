using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace PalmLab.Bench;

/// <summary>
/// Static int8 quantization of an exported PalmLab network (<c>OnnxExporter</c>), written without a Python tool: the
/// QDQ form ONNX Runtime fuses into its int8 kernels (QLinearConv, QLinearAdd; VNNI where the processor has it).
/// Every activation a convolution (but the stem's) or a residual sum reads gets QuantizeLinear / DequantizeLinear (uint8, its range
/// measured on calibration images by running the fp32 graph with those tensors as extra outputs); every convolution's
/// weight is int8 per output channel (symmetric) and its bias int32 at the input's scale times the weight's.
/// An experiment of issue 24 part 2, judged by `bench int8` (flips and AUC against fp32, and speed).
/// </summary>
internal static class Int8Quantizer
{
    private const int Uint8 = (int)TensorProto.Types.DataType.Uint8, Int8 = (int)TensorProto.Types.DataType.Int8,
        Int32 = (int)TensorProto.Types.DataType.Int32, Float = (int)TensorProto.Types.DataType.Float;

    /// <summary>The quantized copy of <paramref name="fp32"/>, calibrated on <paramref name="count"/> images of 0-255 pixels [count, 3, S, S].</summary>
    public static ModelProto Quantize(ModelProto fp32, float[] pixels, int count, int size, int threads, bool minMax = false, IReadOnlySet<string>? keepFp32 = null) =>
        Quantize(fp32, Calibrate(fp32, Targets(fp32), pixels, count, size, threads), minMax, keepFp32);

    /// <summary>The activations quantization may cover: every convolution's input but the stem's, both inputs of every residual sum.</summary>
    public static List<string> Targets(ModelProto fp32)
    {
        var graph = fp32.Graph;
        var initializers = graph.Initializer.Select(i => i.Name).ToHashSet();
        // A residual sum has two activations; the imported input transform's Add has a constant and is left in fp32.
        // The stem convolution reads the image itself (and, for an imported backbone, its input transform): it stays fp32.
        var stem = graph.Node.First(n => n.OpType == "Conv");
        return graph.Node
            .Where(n => (n.OpType == "Conv" && n != stem) || (n.OpType == "Add" && n.Input.All(i => !initializers.Contains(i))))
            .SelectMany(n => n.OpType == "Conv" ? [n.Input[0]] : n.Input.ToArray())
            .Distinct().ToList();
    }

    /// <summary>The quantized copy from measured <paramref name="histograms"/>: each range the one with the least squared error
    /// (clipping against rounding), or the whole min..max with <paramref name="minMax"/>; <paramref name="keepFp32"/>'s tensors,
    /// and the convolutions reading them, stay fp32.</summary>
    public static ModelProto Quantize(ModelProto fp32, IReadOnlyDictionary<string, Histogram> histograms, bool minMax = false, IReadOnlySet<string>? keepFp32 = null)
    {
        var model = fp32.Clone();
        var graph = model.Graph;
        var initializers = graph.Initializer.ToDictionary(i => i.Name);
        var targets = Targets(fp32).Where(t => keepFp32 is null || !keepFp32.Contains(t)).ToList();
        var ranges = targets.ToDictionary(t => t, t => minMax ? (histograms[t].Min, histograms[t].Max) : histograms[t].LeastError());

        var nodes = graph.Node.ToList();
        var added = new List<(int After, NodeProto Node)>();
        var activation = new Dictionary<string, string>();  // each quantized activation's dequantized copy
        var scaleOf = new Dictionary<string, float>();  // the scale of each dequantized copy
        foreach (var target in targets)
        {
            var (min, max) = ranges[target];
            (min, max) = (Math.Min(0f, min), Math.Max(0f, max));
            var scale = Math.Max((max - min) / 255f, 1e-8f);
            var zero = (byte)Math.Clamp(Math.Round(-min / scale), 0, 255);
            var scaleName = Add(graph, $"{target}_scale", Float, BitConverter.GetBytes(scale));
            var zeroName = Add(graph, $"{target}_zero", Uint8, [zero]);
            var producer = nodes.FindIndex(n => n.Output.Contains(target));
            var quantize = NewNode("QuantizeLinear", [target, scaleName, zeroName], $"{target}_q");
            var dequantize = NewNode("DequantizeLinear", [$"{target}_q", scaleName, zeroName], $"{target}_dq");
            added.Add((producer, quantize));
            added.Add((producer, dequantize));
            activation[target] = $"{target}_dq";
            scaleOf[$"{target}_dq"] = scale;
        }
        // Every reader of a quantized activation reads its dequantized copy (the Q node itself reads the original).
        foreach (var node in nodes)
        {
            for (var i = 0; i < node.Input.Count; i++)
            {
                if (activation.TryGetValue(node.Input[i], out var dequantized))
                {
                    node.Input[i] = dequantized;
                }
            }
        }
        var weights = new List<NodeProto>();
        // Every convolution whose input is quantized (never the stem's, which Targets leaves out).
        foreach (var conv in nodes.Where(n => n.OpType == "Conv" && scaleOf.ContainsKey(n.Input[0])))
        {
            var inputScale = scaleOf[conv.Input[0]];
            var weight = initializers[conv.Input[1]];
            var bias = initializers[conv.Input[2]];
            var w = FloatsOf(weight);
            var b = FloatsOf(bias);
            var channels = b.Length;
            var perChannel = w.Length / channels;
            var scales = new float[channels];
            var quantized = new byte[w.Length];
            var biasQ = new int[channels];
            var biasScales = new float[channels];
            for (var c = 0; c < channels; c++)
            {
                var largest = 0f;
                for (var i = 0; i < perChannel; i++)
                {
                    largest = Math.Max(largest, Math.Abs(w[c * perChannel + i]));
                }
                scales[c] = Math.Max(largest / 127f, 1e-12f);
                for (var i = 0; i < perChannel; i++)
                {
                    quantized[c * perChannel + i] = (byte)(sbyte)Math.Clamp(Math.Round(w[c * perChannel + i] / scales[c]), -127, 127);
                }
                biasScales[c] = inputScale * scales[c];
                biasQ[c] = (int)Math.Clamp(Math.Round(b[c] / biasScales[c]), int.MinValue, int.MaxValue);
            }
            graph.Initializer.Remove(weight);
            graph.Initializer.Remove(bias);
            var wName = Add(graph, $"{weight.Name}_q", Int8, quantized, weight.Dims.ToArray());
            var wScale = Add(graph, $"{weight.Name}_scale", Float, Bytes(scales), channels);
            var wZero = Add(graph, $"{weight.Name}_zero", Int8, new byte[channels], channels);
            var bName = Add(graph, $"{bias.Name}_q", Int32, Bytes(biasQ), channels);
            var bScale = Add(graph, $"{bias.Name}_scale", Float, Bytes(biasScales), channels);
            var bZero = Add(graph, $"{bias.Name}_zero", Int32, new byte[channels * 4], channels);
            weights.Add(NewNode("DequantizeLinear", [wName, wScale, wZero], $"{weight.Name}_dq", axis: 0));
            weights.Add(NewNode("DequantizeLinear", [bName, bScale, bZero], $"{bias.Name}_dq", axis: 0));
            conv.Input[1] = $"{weight.Name}_dq";
            conv.Input[2] = $"{bias.Name}_dq";
        }

        // Rebuild the node list in order: weights' dequantization first, each activation's pair right after its producer.
        graph.Node.Clear();
        graph.Node.AddRange(weights);
        for (var i = 0; i < nodes.Count; i++)
        {
            graph.Node.Add(nodes[i]);
            graph.Node.AddRange(added.Where(a => a.After == i).Select(a => a.Node));
        }
        return model;
    }

    /// <summary>A histogram of every target tensor's values over the calibration images, read as extra outputs of the fp32
    /// graph: one pass for each tensor's min and max, a second for its 2,048 bins between them.</summary>
    public static Dictionary<string, Histogram> Calibrate(ModelProto fp32, List<string> targets, float[] pixels, int count, int size, int threads)
    {
        var probe = fp32.Clone();
        foreach (var target in targets)
        {
            probe.Graph.Output.Add(new ValueInfoProto { Name = target, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = Float } } });
        }
        using var options = new SessionOptions { IntraOpNumThreads = threads, GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(probe.ToByteArray(), options);
        using var run = new RunOptions();
        var histograms = targets.ToDictionary(t => t, _ => new Histogram());
        var perImage = 3 * size * size;
        foreach (var pass in new[] { 0, 1 })
        {
            for (var start = 0; start < count; start += 16)
            {
                var length = Math.Min(16, count - start);
                using var input = OrtValue.CreateTensorValueFromMemory(pixels[(start * perImage)..((start + length) * perImage)], [length, 3, size, size]);
                using var outputs = session.Run(run, ["image"], [input], targets);
                for (var i = 0; i < targets.Count; i++)
                {
                    var values = outputs[i].GetTensorDataAsSpan<float>();
                    if (pass == 0)
                    {
                        histograms[targets[i]].Widen(values);
                    }
                    else
                    {
                        histograms[targets[i]].Count(values);
                    }
                }
            }
        }
        return histograms;
    }

    private static NodeProto NewNode(string op, string[] inputs, string output, int? axis = null)
    {
        var node = new NodeProto { OpType = op, Name = output + "_node" };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        if (axis is { } a)
        {
            node.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = a });
        }
        return node;
    }

    private static string Add(GraphProto graph, string name, int type, byte[] raw, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = type, RawData = ByteString.CopyFrom(raw) };
        tensor.Dims.AddRange(dims);
        graph.Initializer.Add(tensor);
        return name;
    }

    private static float[] FloatsOf(TensorProto tensor)
    {
        var values = new float[tensor.RawData.Length / 4];
        Buffer.BlockCopy(tensor.RawData.ToByteArray(), 0, values, 0, tensor.RawData.Length);
        return values;
    }

    private static byte[] Bytes<T>(T[] values) where T : struct
    {
        var bytes = new byte[Buffer.ByteLength(values)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return bytes;
    }
}
