using Onnx;

namespace PalmLab.Engine.Onnx;

/// <summary>
/// One convolution of a ResNet and the batch norm after it, as read from the graph: a Conv followed by a
/// BatchNormalization, or a Conv with a bias and no batch norm (how <c>torch.onnx.export</c> writes an evaluation-mode
/// network: the batch norm folded in), which becomes a batch norm that adds the bias (weight 1, mean 0, variance 1 - ε).
/// </summary>
internal sealed record ConvUnit(NodeProto Conv, long Kernel, long Stride, long[] Pads, ImportedTensor Weight, ImportedTensor[] BatchNorm, string Output)
{
    /// <summary>The ε of PalmLab's batch norms; other ε are folded into the running variance.</summary>
    public const float Epsilon = 1e-5f;

    private static readonly HashSet<string> ConvAttributes = ["kernel_shape", "strides", "pads", "auto_pad", "group", "dilations"];

    /// <summary>Reads the Conv <paramref name="conv"/> and the BatchNormalization that follows it, if any.</summary>
    public static ConvUnit Read(OnnxGraph graph, NodeProto conv)
    {
        var name = OnnxGraph.Describe(conv);
        if (conv.OpType != "Conv")
        {
            throw new OnnxImportException(ResNetGraphWalker.Unexpected(conv, "a Conv"));
        }
        if (conv.Attribute.FirstOrDefault(a => !ConvAttributes.Contains(a.Name)) is { } unknown)
        {
            throw new OnnxImportException($"node {name} has the attribute '{unknown.Name}', which PalmLab does not map");
        }
        var weightTensor = conv.Input.Count > 1 ? graph.Constant(conv.Input[1]) : null;
        if (weightTensor is null || weightTensor.Dims.Count != 4 || weightTensor.Dims[2] != weightTensor.Dims[3])
        {
            throw new OnnxImportException($"node {name} has no constant square 4-d kernel");
        }
        var kernel = weightTensor.Dims[2];
        if (OnnxNodes.Int(conv, "group", 1) != 1 || OnnxNodes.Ints(conv, "dilations", [1, 1]).Any(d => d != 1))
        {
            throw new OnnxImportException($"node {name} is a grouped or dilated convolution, which a ResNet does not have");
        }
        if (OnnxNodes.Ints(conv, "kernel_shape", [kernel, kernel]) is not [var kh, var kw] || kh != kernel || kw != kernel)
        {
            throw new OnnxImportException($"node {name} has a kernel_shape that differs from its weights");
        }
        var stride = StrideOf(conv, name);
        var pads = PadsOf(conv, name);
        var weight = ImportedTensor.Of(weightTensor, $"the weights of node {name}");
        var outChannels = (int)weight.Shape[0];
        var bias = conv.Input.Count > 2 && conv.Input[2].Length > 0
            ? ImportedTensor.Of(graph.Constant(conv.Input[2]) ?? throw new OnnxImportException($"node {name} has a computed bias"), $"the bias of node {name}").Values
            : new float[outChannels];
        if (bias.Length != outChannels)
        {
            throw new OnnxImportException($"node {name} has {bias.Length} biases for {outChannels} channels");
        }
        var output = conv.Output[0];
        if (graph.Consumers(output) is [{ OpType: "BatchNormalization" } bn])
        {
            return new ConvUnit(conv, kernel, stride, pads, weight, BatchNormAfter(graph, bn, bias), bn.Output[0]);
        }
        // A folded batch norm: y = x + bias exactly, as (x - 0) / sqrt((1 - ε) + ε) * 1 + bias.
        float[] Fill(float v) => Enumerable.Repeat(v, outChannels).ToArray();
        return new ConvUnit(conv, kernel, stride, pads, weight, [Vector(Fill(1f)), Vector(bias), Vector(Fill(0f)), Vector(Fill(1f - Epsilon))], output);
    }

    /// <summary>The stride of a node with square strides.</summary>
    public static long StrideOf(NodeProto node, string name) => OnnxNodes.Ints(node, "strides", [1, 1]) is [var sh, var sw] && sh == sw
        ? sh
        : throw new OnnxImportException($"node {name} has strides that differ between height and width");

    /// <summary>ONNX's pads [top, left, bottom, right], refusing automatic padding.</summary>
    public static long[] PadsOf(NodeProto node, string name)
    {
        var autoPad = OnnxNodes.String(node, "auto_pad", "NOTSET");
        if (autoPad != "NOTSET")
        {
            throw new OnnxImportException($"node {name} pads automatically ({autoPad}); PalmLab reads explicit pads");
        }
        return OnnxNodes.Ints(node, "pads", [0, 0, 0, 0]) is { Length: 4 } pads
            ? pads
            : throw new OnnxImportException($"node {name} has pads for other than two axes");
    }

    private static ImportedTensor[] BatchNormAfter(OnnxGraph graph, NodeProto bn, float[] convBias)
    {
        var name = OnnxGraph.Describe(bn);
        if (OnnxNodes.Int(bn, "training_mode", 0) != 0 || OnnxNodes.Int(bn, "spatial", 1) != 1)
        {
            throw new OnnxImportException($"node {name} is a training-mode or per-pixel batch norm, which PalmLab does not map");
        }
        var parts = bn.Input.Skip(1).Take(4).Select(i => graph.Constant(i)).ToArray();
        if (bn.Input.Count < 5 || parts.Any(p => p is null))
        {
            throw new OnnxImportException($"node {name} lacks a constant scale, bias, mean or variance");
        }
        var values = parts.Select((p, i) => ImportedTensor.Of(p!, $"input {i + 1} of node {name}").Values).ToArray();
        if (values.Any(v => v.Length != convBias.Length))
        {
            throw new OnnxImportException($"node {name} has statistics for other than the {convBias.Length} channels of its convolution");
        }
        var epsilon = OnnxNodes.Float(bn, "epsilon", Epsilon);
        if (!(epsilon >= 0))
        {
            throw new OnnxImportException($"node {name} has the epsilon {epsilon}");
        }
        // A bias before the batch norm shifts its mean; another ε is the same as a variance larger by ε - 1e-5.
        var mean = values[2].Select((m, c) => m - convBias[c]).ToArray();
        var variance = values[3].Select(v => v + epsilon - Epsilon).ToArray();
        return [Vector(values[0]), Vector(values[1]), Vector(mean), Vector(variance)];
    }

    private static ImportedTensor Vector(float[] values) => new([values.Length], values);
}
