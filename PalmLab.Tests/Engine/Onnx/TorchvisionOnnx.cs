using Google.Protobuf;
using Onnx;

namespace PalmLab.Tests.Engine.Onnx;

/// <summary>
/// Builds a ResNet as <c>torch.onnx.export</c> writes torchvision's models in evaluation mode (opset 13): Conv with a bias
/// (the batch norm folded in), Relu, MaxPool, Add, GlobalAveragePool, Flatten and a 1000-class Gemm, initializers named
/// "onnx::Conv_N" and stored shuffled, random weights. The pooled features are a second graph output, so ONNX Runtime
/// computes what the importer's network computes. Options make it a training-mode export (BatchNormalization nodes with
/// another ε) or break it for the refusal tests.
/// </summary>
public sealed record TorchvisionOnnx
{
    public const string Input = "input";
    public const string Features = "features";

    private readonly GraphProto _graph = new() { Name = "main_graph" };
    private readonly Random _random;
    private int _id;

    private TorchvisionOnnx(int seed) => _random = new Random(seed);

    /// <summary>Blocks per stage (four for a ResNet; fewer or more for a refusal test).</summary>
    public int[] Blocks { get; init; } = [2, 2, 2, 2];

    public bool Bottleneck { get; init; }

    /// <summary>BatchNormalization nodes after bias-free convolutions, with this ε, instead of folded biases.</summary>
    public float? BatchNormEpsilon { get; init; }

    /// <summary>An op written in place of the first block's first ReLU (a refusal test).</summary>
    public string FirstBlockActivation { get; init; } = "Relu";

    public static byte[] Build(int depth, int seed, Func<TorchvisionOnnx, TorchvisionOnnx>? configure = null)
    {
        var builder = new TorchvisionOnnx(seed)
        {
            Blocks = depth switch { 18 => [2, 2, 2, 2], _ => [3, 4, 6, 3] },
            Bottleneck = depth >= 50,
        };
        return (configure?.Invoke(builder) ?? builder).Write();
    }

    private byte[] Write()
    {
        var batch = new TensorShapeProto.Types.Dimension { DimParam = "batch" };
        _graph.Input.Add(Value(Input, [batch, Dim(3), Dim(64), Dim(64)]));
        var x = Unit(Input, 3, 64, 7, 2, relu: true);
        x = Node("MaxPool", [x], a => a.AddRange([Ints("kernel_shape", 3, 3), Ints("strides", 2, 2), Ints("pads", 1, 1, 1, 1), Int("ceil_mode", 0)]));
        long inPlanes = 64;
        var expansion = Bottleneck ? 4 : 1;
        for (var s = 0; s < Blocks.Length; s++)
        {
            var planes = 64L << s;
            for (var i = 0; i < Blocks[s]; i++)
            {
                var stride = s > 0 && i == 0 ? 2 : 1;
                string main;
                if (Bottleneck)
                {
                    main = Unit(x, inPlanes, planes, 1, 1, relu: true);
                    main = Unit(main, planes, planes, 3, stride, relu: true);
                    main = Unit(main, planes, planes * expansion, 1, 1, relu: false, gain: 0.2);
                }
                else
                {
                    main = Unit(x, inPlanes, planes, 3, stride, relu: true, activation: s == 0 && i == 0 ? FirstBlockActivation : "Relu");
                    main = Unit(main, planes, planes, 3, 1, relu: false, gain: 0.2);
                }
                var shortcut = i == 0 && (stride != 1 || inPlanes != planes * expansion) ? Unit(x, inPlanes, planes * expansion, 1, stride, relu: false) : x;
                x = Node("Relu", [Node("Add", [main, shortcut])]);
                inPlanes = planes * expansion;
            }
        }
        var pooled = Node("GlobalAveragePool", [x], output: Features);
        var flat = Node("Flatten", [pooled], a => a.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 }));
        var logits = Node("Gemm", [flat, Weight([1000, inPlanes], inPlanes), Weight([1000], 0)], a => a.AddRange([Float("alpha", 1), Float("beta", 1), Int("transB", 1)]));
        _graph.Output.Add(Value(logits, [batch, Dim(1000)]));
        _graph.Output.Add(Value(pooled, [batch, Dim(inPlanes), Dim(1), Dim(1)]));
        // Exporters name initializers by use, not by layer: store them shuffled so only the graph's topology can place them.
        var shuffled = _graph.Initializer.OrderBy(_ => _random.Next()).ToList();
        _graph.Initializer.Clear();
        _graph.Initializer.AddRange(shuffled);
        var model = new ModelProto { IrVersion = 8, ProducerName = "pytorch", ProducerVersion = "2.5.0", Graph = _graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return model.ToByteArray();
    }

    private string Unit(string x, long inC, long outC, long k, long stride, bool relu, double gain = 1, string activation = "Relu")
    {
        var weight = Weight([outC, inC, k, k], Math.Sqrt(2.0 / (inC * k * k)) * gain);
        string y;
        void ConvAttributes(Google.Protobuf.Collections.RepeatedField<AttributeProto> a) => a.AddRange(
            [Ints("dilations", 1, 1), Int("group", 1), Ints("kernel_shape", k, k), Ints("pads", k / 2, k / 2, k / 2, k / 2), Ints("strides", stride, stride)]);
        if (BatchNormEpsilon is { } epsilon)
        {
            var conv = Node("Conv", [x, weight], ConvAttributes);
            string scale = Weight([outC], 0.3, 1), bias = Weight([outC], 0.1), mean = Weight([outC], 0.1), variance = Positive(outC);
            y = Node("BatchNormalization", [conv, scale, bias, mean, variance], a => a.AddRange([Float("epsilon", epsilon), Float("momentum", 0.9f)]));
        }
        else
        {
            y = Node("Conv", [x, weight, Weight([outC], 0.1)], ConvAttributes);
        }
        return relu ? Node(activation, [y]) : y;
    }

    private string Node(string op, string[] inputs, Action<Google.Protobuf.Collections.RepeatedField<AttributeProto>>? attributes = null, string? output = null)
    {
        var id = _id++;
        var node = new NodeProto { OpType = op, Name = $"/{op}_{id}" };
        node.Input.AddRange(inputs);
        node.Output.Add(output ?? $"/{op}_{id}_output_0");
        attributes?.Invoke(node.Attribute);
        _graph.Node.Add(node);
        return node.Output[0];
    }

    private string Weight(long[] shape, double std, double mean = 0)
    {
        var count = shape.Aggregate(1L, (n, d) => n * d);
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            // Box-Muller: a normal sample.
            var u = 1 - _random.NextDouble();
            values[i] = (float)(mean + std * Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * _random.NextDouble()));
        }
        return Initializer(shape, values);
    }

    private string Positive(long count) => Initializer([count], [.. Enumerable.Range(0, (int)count).Select(_ => (float)(0.5 + _random.NextDouble()))]);

    private string Initializer(long[] shape, float[] values)
    {
        var tensor = new TensorProto { Name = $"onnx::Conv_{1000 + _id++}", DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(shape);
        var raw = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        tensor.RawData = ByteString.CopyFrom(raw);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    private static TensorShapeProto.Types.Dimension Dim(long value) => new() { DimValue = value };

    private static ValueInfoProto Value(string name, TensorShapeProto.Types.Dimension[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.AddRange(dims);
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } } };
    }

    private static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    private static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };
}
