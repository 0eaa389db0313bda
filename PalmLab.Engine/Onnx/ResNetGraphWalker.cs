using Onnx;
using PalmLab.Engine.Models;

namespace PalmLab.Engine.Onnx;

/// <summary>
/// Walks a ResNet-shaped ONNX graph from its input, following tensor names (never the order of the nodes or of the
/// initializers): the 7x7 stem, its batch norm, ReLU and 3x3 max pool, then blocks (a main path of two 3x3 or of 1x1, 3x3,
/// 1x1 convolutions, an identity or 1x1-projection shortcut, an Add and a ReLU) until the global average pool. Stages start
/// at the strided blocks. What follows the pool (Flatten, Gemm: the file's classifier) is left out.
/// </summary>
internal sealed class ResNetGraphWalker(OnnxGraph graph)
{
    /// <summary>Ops a ResNet's body has; any other is named in the refusal as one a ResNet does not have.</summary>
    private static readonly HashSet<string> BodyOps = ["Conv", "BatchNormalization", "Relu", "Add", "MaxPool", "AveragePool", "GlobalAveragePool"];

    /// <summary>Ops allowed after the pool (the classifier and the shape arithmetic a flatten may bring), which are left out.</summary>
    private static readonly HashSet<string> HeadOps = ["Flatten", "Reshape", "Gemm", "MatMul", "Add", "Constant", "Shape", "Gather", "Unsqueeze", "Concat", "Squeeze", "Softmax", "Identity"];

    private readonly HashSet<NodeProto> _visited = [];
    private readonly Dictionary<string, ImportedTensor> _weights = [];
    private readonly List<(string Node, bool Short)> _strided = [];

    /// <summary>The architecture (without an input transform) and the weights under PalmLab's state-dict names.</summary>
    public (ResNetArchitecture Architecture, IReadOnlyDictionary<string, ImportedTensor> Weights) Walk()
    {
        var x = graph.Input.Name;
        var stem = ReadUnit(Single(x, "the input"));
        if (stem.Kernel != 7 || stem.Stride != 2)
        {
            throw new OnnxImportException($"node {OnnxGraph.Describe(stem.Conv)} is a {stem.Kernel}x{stem.Kernel} stride-{stem.Stride} convolution where a ResNet starts with a 7x7 stride-2 one");
        }
        Strided(stem);
        var relu = Expect(Single(stem.Output, "the stem"), "Relu");
        var pool = Expect(Single(relu.Output[0], "the stem"), "MaxPool");
        var poolName = OnnxGraph.Describe(pool);
        if (OnnxNodes.Ints(pool, "kernel_shape", []) is not [3, 3] || ConvUnit.StrideOf(pool, poolName) != 2 || OnnxNodes.Int(pool, "ceil_mode", 0) != 0 ||
            OnnxNodes.Ints(pool, "dilations", [1, 1]).Any(d => d != 1))
        {
            throw new OnnxImportException($"node {poolName} is not the 3x3 stride-2 max pool of a ResNet's stem");
        }
        _strided.Add((poolName, ShortEnd(pool, poolName, 3)));
        x = pool.Output[0];

        var blocks = new List<Block>();
        while (ReadBlock(x) is { } block)
        {
            blocks.Add(block);
            x = block.Output;
        }
        Finish(x);
        var architecture = Architecture(blocks) with { ShortEndPadding = _strided[0].Short };
        Name(stem, "conv1", "bn1");
        var stage = 0;
        var index = 0;
        foreach (var block in blocks)
        {
            (stage, index) = block.Stride == 2 || stage == 0 ? (stage + 1, 0) : (stage, index + 1);
            var prefix = $"layer{stage}.{index}";
            for (var i = 0; i < block.Main.Count; i++)
            {
                Name(block.Main[i], $"{prefix}.conv{i + 1}", $"{prefix}.bn{i + 1}");
            }
            if (block.Projection is { } projection)
            {
                Name(projection, $"{prefix}.downsample.0", $"{prefix}.downsample.1");
            }
        }
        if (graph.Graph.Node.FirstOrDefault(n => !_visited.Contains(n) && !HeadOps.Contains(n.OpType)) is { } stray)
        {
            throw new OnnxImportException(BodyOps.Contains(stray.OpType)
                ? $"node {OnnxGraph.Describe(stray)} ({stray.OpType}) lies off the ResNet's path from the input to the pool"
                : $"node {OnnxGraph.Describe(stray)} is a {stray.OpType}, which a ResNet does not have");
        }
        ResNetShapes.Check(architecture, _weights);
        return (architecture, _weights);
    }

    /// <summary>What to say of a node met where another op belongs.</summary>
    public static string Unexpected(NodeProto node, string expected) => BodyOps.Contains(node.OpType) || HeadOps.Contains(node.OpType)
        ? $"node {OnnxGraph.Describe(node)} is a {node.OpType} where a ResNet has {expected}"
        : $"node {OnnxGraph.Describe(node)} is a {node.OpType}, which a ResNet does not have";

    private sealed record Block(List<ConvUnit> Main, ConvUnit? Projection, long Stride, string Output);

    private Block? ReadBlock(string x)
    {
        var consumers = graph.Consumers(x);
        if (consumers is [{ OpType: "AveragePool" or "GlobalAveragePool" }])
        {
            return null;
        }
        var convs = consumers.Where(n => n.OpType == "Conv").ToList();
        if (consumers.FirstOrDefault(n => n.OpType is not ("Conv" or "Add")) is { } other)
        {
            throw new OnnxImportException(Unexpected(other, "a block's convolution or a global average pool"));
        }
        if (convs.Count is 0 or > 2)
        {
            throw new OnnxImportException($"tensor '{x}' feeds {convs.Count} convolutions where a ResNet block has one or two (its main path and a projection)");
        }
        var chains = convs.Select(Chain).OrderByDescending(c => c.Units.Count).ToList();
        var (main, add) = chains[0];
        if (main.Count is not (2 or 3))
        {
            throw new OnnxImportException($"the block after tensor '{x}' has {main.Count} convolutions on its main path where a ResNet block has 2 (basic) or 3 (bottleneck)");
        }
        ConvUnit? projection = null;
        if (chains.Count == 2)
        {
            if (chains[1].Units.Count != 1 || chains[1].Add != add)
            {
                throw new OnnxImportException($"the block after tensor '{x}' has two paths of convolutions where a ResNet block has one and a 1x1 projection");
            }
            projection = chains[1].Units[0];
        }
        var shortcut = projection?.Output ?? x;
        if (add.Input.Count != 2 || !add.Input.Contains(main[^1].Output) || !add.Input.Contains(shortcut) || main[^1].Output == shortcut)
        {
            throw new OnnxImportException($"node {OnnxGraph.Describe(add)} does not add a block's main path to its shortcut");
        }
        _visited.Add(add);
        var relu = Expect(Single(add.Output[0], "a block"), "Relu");
        var stride = CheckBlock(main, projection, x);
        return new Block(main, projection, stride, relu.Output[0]);
    }

    private long CheckBlock(List<ConvUnit> main, ConvUnit? projection, string x)
    {
        var bottleneck = main.Count == 3;
        var kernels = main.Select(u => u.Kernel).ToArray();
        if (!kernels.SequenceEqual(bottleneck ? [1L, 3, 1] : [3L, 3]))
        {
            throw new OnnxImportException($"the block after tensor '{x}' has {string.Join(", ", kernels.Select(k => $"{k}x{k}"))} convolutions where a ResNet block has {(bottleneck ? "1x1, 3x3, 1x1" : "3x3, 3x3")}");
        }
        var stridedAt = bottleneck ? 1 : 0;
        var stride = main[stridedAt].Stride;
        if (stride is not (1 or 2) || main.Where((u, i) => i != stridedAt).Any(u => u.Stride != 1))
        {
            var node = main.First(u => u.Stride != 1).Conv;
            throw new OnnxImportException($"node {OnnxGraph.Describe(node)} has stride {main.First(u => u.Stride != 1).Stride} where a ResNet block strides {(bottleneck ? "its 3x3 convolution (torchvision's ResNet v1.5)" : "its first convolution")} by 1 or 2");
        }
        foreach (var unit in main.Where((u, i) => i != stridedAt || stride == 1))
        {
            Symmetric(unit);
        }
        if (stride == 2)
        {
            Strided(main[stridedAt]);
        }
        if (projection is { } p)
        {
            if (p.Kernel != 1 || p.Stride != stride || p.Pads.Any(v => v != 0))
            {
                throw new OnnxImportException($"node {OnnxGraph.Describe(p.Conv)} is no unpadded 1x1 stride-{stride} projection");
            }
        }
        else if (stride != 1)
        {
            throw new OnnxImportException($"the strided block after tensor '{x}' has no projection on its shortcut");
        }
        return stride;
    }

    private (List<ConvUnit> Units, NodeProto Add) Chain(NodeProto conv)
    {
        var units = new List<ConvUnit>();
        while (true)
        {
            var unit = ReadUnit(conv);
            units.Add(unit);
            var next = Single(unit.Output, "a block");
            if (next.OpType == "Add")
            {
                return (units, next);
            }
            var relu = Expect(next, "Relu", "a Relu or an Add");
            conv = Single(relu.Output[0], "a block");
            if (units.Count == 3)
            {
                throw new OnnxImportException($"node {OnnxGraph.Describe(conv)} makes a block of more than 3 convolutions");
            }
        }
    }

    private void Finish(string x)
    {
        var pool = Single(x, "the last block");
        var name = OnnxGraph.Describe(pool);
        if (pool.OpType == "AveragePool")
        {
            // CNTK's ResNet ends with a fixed 7x7 average pool: the global average at 224 px, as PalmLab's network pools at any size.
            var kernel = OnnxNodes.Ints(pool, "kernel_shape", []);
            if (kernel is not [var kh, var kw] || kh != kw || ConvUnit.PadsOf(pool, name).Any(v => v != 0) ||
                InputSize() is { } size && size / 32 != kh)
            {
                throw new OnnxImportException($"node {name} is an average pool that does not cover the last stage's whole {InputSize() / 32}x{InputSize() / 32} output");
            }
        }
        else if (pool.OpType != "GlobalAveragePool")
        {
            throw new OnnxImportException(Unexpected(pool, "a global average pool"));
        }
        _visited.Add(pool);
    }

    private long? InputSize()
    {
        var dims = graph.Input.Type?.TensorType?.Shape?.Dim;
        return dims is { Count: 4 } && dims[2].DimValue > 0 && dims[2].DimValue == dims[3].DimValue ? dims[2].DimValue : null;
    }

    private static ResNetArchitecture Architecture(List<Block> blocks)
    {
        var bottleneck = blocks.Count > 0 && blocks[0].Main.Count == 3;
        if (blocks.Count == 0 || blocks.Any(b => b.Main.Count == 3 != bottleneck))
        {
            throw new OnnxImportException(blocks.Count == 0 ? "no residual block follows the stem" : "the network mixes basic and bottleneck blocks");
        }
        if (blocks[0].Stride != 1)
        {
            throw new OnnxImportException("the first block after the max pool is strided, where a ResNet's first stage keeps the size");
        }
        var stages = new List<int>();
        foreach (var block in blocks)
        {
            if (block.Stride == 2 || stages.Count == 0)
            {
                stages.Add(0);
            }
            stages[^1]++;
        }
        if (stages.Count != 4)
        {
            throw new OnnxImportException($"expected 4 stages, found {stages.Count} (blocks per stage: {string.Join(", ", stages)})");
        }
        int[] counts = [.. stages];
        var depth = (bottleneck, counts) switch
        {
            (false, [2, 2, 2, _]) => 18,
            (false, [3, 4, 6, 3]) => 34,
            (true, [3, 4, 6, 3]) => 50,
            (true, [3, 4, 23, 3]) => 101,
            (true, [3, 8, 36, 3]) => 152,
            _ => throw new OnnxImportException($"{(bottleneck ? "bottleneck" : "basic")} blocks per stage [{string.Join(", ", counts)}] are no ResNet depth PalmLab knows (18, 34, 50, 101, 152)"),
        };
        return new ResNetArchitecture { Depth = depth, Blocks = counts, Bottleneck = bottleneck };
    }

    private ConvUnit ReadUnit(NodeProto conv)
    {
        var unit = ConvUnit.Read(graph, conv);
        _visited.Add(conv);
        if (unit.Output != conv.Output[0])
        {
            _visited.UnionWith(graph.Consumers(conv.Output[0]));
        }
        return unit;
    }

    private void Name(ConvUnit unit, string conv, string bn)
    {
        _weights[$"{conv}.weight"] = unit.Weight;
        string[] parts = ["weight", "bias", "running_mean", "running_var"];
        for (var i = 0; i < parts.Length; i++)
        {
            _weights[$"{bn}.{parts[i]}"] = unit.BatchNorm[i];
        }
    }

    private void Strided(ConvUnit unit)
    {
        var name = OnnxGraph.Describe(unit.Conv);
        _strided.Add((name, ShortEnd(unit.Pads, name, unit.Kernel)));
        if (_strided.Select(s => s.Short).Distinct().Count() > 1)
        {
            var (first, firstShort) = _strided[0];
            throw new OnnxImportException($"node {name} pads {(firstShort ? "both ends equally" : "one less at the end")}, where node {first} pads {(firstShort ? "one less at the end" : "both ends equally")}: PalmLab pads every strided layer alike");
        }
    }

    private static void Symmetric(ConvUnit unit)
    {
        var half = unit.Kernel / 2;
        if (unit.Pads.Any(p => p != half))
        {
            throw new OnnxImportException($"node {OnnxGraph.Describe(unit.Conv)} pads [{string.Join(", ", unit.Pads)}] where a {unit.Kernel}x{unit.Kernel} stride-1 convolution of a ResNet pads {half} on every side");
        }
    }

    private static bool ShortEnd(NodeProto node, string name, long kernel) => ShortEnd(ConvUnit.PadsOf(node, name), name, kernel);

    /// <summary>Symmetric pads (k/2 everywhere): false; CNTK's begin k/2, end k/2 - 1: true; anything else is refused.</summary>
    private static bool ShortEnd(long[] pads, string name, long kernel)
    {
        var half = kernel / 2;
        if (pads.All(p => p == half))
        {
            return false;
        }
        if (pads is [var t, var l, var b, var r] && t == half && l == half && b == half - 1 && r == half - 1)
        {
            return true;
        }
        throw new OnnxImportException($"node {name} pads [{string.Join(", ", pads)}], neither symmetric ({half} on every side) nor begin {half}, end {half - 1}");
    }

    private NodeProto Single(string tensor, string where)
    {
        var consumers = graph.Consumers(tensor);
        return consumers.Count == 1
            ? consumers[0]
            : throw new OnnxImportException($"tensor '{tensor}' in {where} feeds {consumers.Count} nodes where a ResNet feeds one");
    }

    private NodeProto Expect(NodeProto node, string op, string? expected = null)
    {
        if (node.OpType != op)
        {
            throw new OnnxImportException(Unexpected(node, expected ?? $"a {op}"));
        }
        _visited.Add(node);
        return node;
    }
}
