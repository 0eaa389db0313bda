using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Google.Protobuf;
using Onnx;
using PalmLab.Engine.Models;
using PalmLab.Engine.Training;
using TorchSharp.Modules;
using static PalmLab.Engine.Onnx.OnnxExportGraph;
using static TorchSharp.torch;

namespace PalmLab.Engine.Onnx;

/// <summary>
/// Writes a trained network as a self-contained ONNX file (opset 13) that any ONNX runtime can run without PalmLab: it
/// takes <c>image</c>, float RGB pixels in 0-255, [N, 3, S, S] at the run's image size (resized as PalmLab resizes:
/// bilinear, the whole photograph, upright), and gives <c>probability</c> [N, 1], the probability of pathologic myopia.
/// Inside: the mapping to [-1, 1] PalmLab trains on, the architecture's input transform, the network with every batch
/// norm folded into the convolution before it, and a sigmoid. The file's metadata names the image size, threshold,
/// options and architecture.
/// </summary>
public static class OnnxExporter
{
    public const int Opset = 13;
    public const string InputName = "image";
    public const string OutputName = "probability";

    /// <summary>Metadata keys (<c>metadata_props</c>) the file carries.</summary>
    public const string ImageSizeKey = "palmlab.image_size", ThresholdKey = "palmlab.threshold", VersionKey = "palmlab.version",
        OptionsKey = "palmlab.options", ArchitectureKey = "palmlab.architecture", InputKey = "palmlab.input", EpochKey = "palmlab.epoch";

    /// <summary>The ONNX file of the checkpoint at <paramref name="checkpointPath"/>, in memory.</summary>
    /// <exception cref="PalmLabException">The checkpoint is missing, unreadable or damaged.</exception>
    public static byte[] Export(string checkpointPath)
    {
        var (model, header) = Checkpoint.LoadModel(checkpointPath, CPU);
        using (model)
        {
            return Export(model, header).ToByteArray();
        }
    }

    /// <summary>Writes the ONNX file of a checkpoint to <paramref name="onnxPath"/> atomically (a crash never leaves half a file).</summary>
    /// <exception cref="PalmLabException">The checkpoint cannot be read, or the file cannot be written.</exception>
    public static void Export(string checkpointPath, string onnxPath)
    {
        var bytes = Export(checkpointPath);
        try
        {
            AtomicFile.Write(onnxPath, stream => stream.Write(bytes));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new PalmLabException($"Cannot write {onnxPath}: {e.Message}", e);
        }
    }

    /// <summary>The ONNX model of <paramref name="model"/> (its weights and running statistics as they are now) with the header's image size and threshold.</summary>
    public static ModelProto Export(ResNet model, CheckpointHeader header)
    {
        var options = header.Config.Options;
        var size = options.ImageSize;
        var architecture = model.Architecture;
        if (architecture.ShortEndPadding && size % 32 != 0)
        {
            throw new PalmLabException($"This network pads its strided layers as CNTK does and takes images whose size is a multiple of 32, not {size}.");
        }
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        var state = model.state_dict();
        var graph = new OnnxExportGraph();
        graph.Graph.Input.Add(FloatValue(InputName, "N", 3, size, size));

        // Exactly ImageDecoder's x / 255 * 2 - 1, in its order, so the network sees the values PalmLab's own prediction sees.
        var x = graph.Node("Div", [InputName, graph.Constant("c255", [255f])]);
        x = graph.Node("Mul", [x, graph.Constant("c2", [2f])]);
        x = graph.Node("Sub", [x, graph.Constant("c1", [1f])]);
        if (architecture.Input is { } transform)
        {
            x = graph.Node("Gather", [x, graph.Constant("input_order", transform.ChannelOrder.Select(c => (long)c).ToArray(), 3)], Int("axis", 1));
            x = graph.Node("Mul", [x, graph.Constant("input_scale", transform.Scale, 1, 3, 1, 1)]);
            x = graph.Node("Add", [x, graph.Constant("input_shift", transform.Shift, 1, 3, 1, 1)]);
        }

        var shortEnd = architecture.ShortEndPadding;
        x = graph.Node("Relu", [FoldedConv(graph, modules, state, "conv1", "bn1", x, 2, shortEnd ? [3, 3, 2, 2] : [3, 3, 3, 3])]);
        x = graph.Node("MaxPool", [x], Ints("kernel_shape", 3, 3), Ints("strides", 2, 2), Ints("pads", shortEnd ? [1, 1, 0, 0] : [1, 1, 1, 1]));
        for (var stage = 1; stage <= 4; stage++)
        {
            for (var block = 0; block < architecture.Blocks[stage - 1]; block++)
            {
                var stride = stage > 1 && block == 0 ? 2 : 1;
                x = Block(graph, modules, state, $"layer{stage}.{block}", x, stride, architecture.Bottleneck, shortEnd && stride > 1);
            }
        }
        x = graph.Node("GlobalAveragePool", [x]);
        x = graph.Node("Flatten", [x], Int("axis", 1));
        x = graph.Node("Gemm", [x, graph.Constant("fc.weight", Floats(state["fc.weight"]), state["fc.weight"].shape), graph.Constant("fc.bias", Floats(state["fc.bias"]), 1)],
            "logit", Int("transB", 1));
        graph.Node("Sigmoid", [x], OutputName);
        graph.Graph.Output.Add(FloatValue(OutputName, "N", 1));
        graph.Graph.DocString = $"PalmLab ResNet-{architecture.Depth}: {InputDescription(size)} -> probability of pathologic myopia [N, 1].";
        return Model(graph.Graph, header, architecture);
    }

    /// <summary>What the file's input is, in words (also its <see cref="InputKey"/> metadata).</summary>
    public static string InputDescription(int size) =>
        $"float RGB pixels 0-255, [N, 3, {size}, {size}] (channels first), the whole photograph upright, resized to {size}x{size} (bilinear)";

    private static ModelProto Model(GraphProto graph, CheckpointHeader header, ResNetArchitecture architecture)
    {
        var options = header.Config.Options;
        var version = typeof(OnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        var model = new ModelProto
        {
            IrVersion = 7,
            ProducerName = "PalmLab",
            ProducerVersion = version,
            ModelVersion = header.Epoch,
            DocString = graph.DocString,
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        Add(VersionKey, version);
        Add(ImageSizeKey, options.ImageSize.ToString(CultureInfo.InvariantCulture));
        Add(ThresholdKey, options.Threshold.ToString("R", CultureInfo.InvariantCulture));
        Add(EpochKey, header.Epoch.ToString(CultureInfo.InvariantCulture));
        Add(InputKey, InputDescription(options.ImageSize));
        Add(OptionsKey, JsonSerializer.Serialize(options, Checkpoint.Json));
        Add(ArchitectureKey, JsonSerializer.Serialize(architecture, Checkpoint.Json));
        return model;

        void Add(string key, string value) => model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
    }

    private static string Block(OnnxExportGraph graph, Dictionary<string, nn.Module> modules, Dictionary<string, Tensor> state, string prefix, string input,
        long stride, bool bottleneck, bool shortEnd)
    {
        long[] strided3x3 = shortEnd ? [1, 1, 0, 0] : [1, 1, 1, 1];
        string x;
        if (bottleneck)
        {
            x = Relu(FoldedConv(graph, modules, state, $"{prefix}.conv1", $"{prefix}.bn1", input, 1, [0, 0, 0, 0]));
            x = Relu(FoldedConv(graph, modules, state, $"{prefix}.conv2", $"{prefix}.bn2", x, stride, strided3x3));
            x = FoldedConv(graph, modules, state, $"{prefix}.conv3", $"{prefix}.bn3", x, 1, [0, 0, 0, 0]);
        }
        else
        {
            x = Relu(FoldedConv(graph, modules, state, $"{prefix}.conv1", $"{prefix}.bn1", input, stride, strided3x3));
            x = FoldedConv(graph, modules, state, $"{prefix}.conv2", $"{prefix}.bn2", x, 1, [1, 1, 1, 1]);
        }
        // A projection's 1x1 convolution with stride 2 (Conv1x1Stride2 reads every second pixel) is ONNX's 1x1 Conv with strides 2.
        var shortcut = modules.ContainsKey($"{prefix}.downsample")
            ? FoldedConv(graph, modules, state, $"{prefix}.downsample.0", $"{prefix}.downsample.1", input, modules[$"{prefix}.downsample.0"] is Conv1x1Stride2 ? 2 : stride, [0, 0, 0, 0])
            : input;
        return Relu(graph.Node("Add", [x, shortcut]));

        string Relu(string value) => graph.Node("Relu", [value]);
    }

    // See FoldedConv: weights scaled by s = γ / √(σ² + ε) per output channel, bias β − μ s; computed in double.
    private static string FoldedConv(OnnxExportGraph graph, Dictionary<string, nn.Module> modules, Dictionary<string, Tensor> state, string conv, string norm,
        string input, long stride, long[] pads)
    {
        var weight = state[$"{conv}.weight"];
        var eps = modules[norm] is BatchNorm bn ? bn.eps : throw new InvalidOperationException($"{norm} is not a batch norm.");
        var gamma = Doubles(state[$"{norm}.weight"]);
        var beta = Doubles(state[$"{norm}.bias"]);
        var mean = Doubles(state[$"{norm}.running_mean"]);
        var variance = Doubles(state[$"{norm}.running_var"]);
        var w = Doubles(weight);
        var outChannels = gamma.Length;
        var perChannel = w.Length / outChannels;
        var folded = new float[w.Length];
        var bias = new float[outChannels];
        for (var c = 0; c < outChannels; c++)
        {
            var s = gamma[c] / Math.Sqrt(variance[c] + eps);
            for (var i = 0; i < perChannel; i++)
            {
                folded[c * perChannel + i] = (float)(w[c * perChannel + i] * s);
            }
            bias[c] = (float)(beta[c] - mean[c] * s);
        }
        var kernel = weight.shape[^1];
        return graph.Node("Conv", [input, graph.Constant($"{conv}.weight", folded, weight.shape), graph.Constant($"{conv}.bias", bias, outChannels)],
            Ints("kernel_shape", kernel, kernel), Ints("strides", stride, stride), Ints("pads", pads));
    }

    private static double[] Doubles(Tensor tensor)
    {
        using var values = tensor.detach().cpu().to_type(ScalarType.Float64).contiguous();
        return values.data<double>().ToArray();
    }

    private static float[] Floats(Tensor tensor)
    {
        using var values = tensor.detach().cpu().to_type(ScalarType.Float32).contiguous();
        return values.data<float>().ToArray();
    }
}
