using Onnx;

namespace PalmLab.Engine.Onnx;

/// <summary>
/// An ONNX graph indexed for walking by tensor names: which node writes a tensor, which nodes read it, and the constant
/// tensors (initializers and <c>Constant</c> nodes) weights are read from.
/// </summary>
internal sealed class OnnxGraph
{
    private readonly Dictionary<string, List<NodeProto>> _consumers = [];
    private readonly Dictionary<string, TensorProto> _constants = [];

    public OnnxGraph(GraphProto graph)
    {
        Graph = graph;
        foreach (var tensor in graph.Initializer)
        {
            _constants[tensor.Name] = tensor;
        }
        foreach (var node in graph.Node)
        {
            if (node.OpType == "Constant" && node.Attribute.FirstOrDefault(a => a.Name == "value") is { T: { } value } && node.Output.Count == 1)
            {
                _constants[node.Output[0]] = value;
            }
            foreach (var input in node.Input.Where(i => i.Length > 0).Distinct())
            {
                if (!_consumers.TryGetValue(input, out var list))
                {
                    _consumers[input] = list = [];
                }
                list.Add(node);
            }
        }
        var inputs = graph.Input.Where(i => !_constants.ContainsKey(i.Name)).ToList();
        if (inputs.Count != 1)
        {
            throw new OnnxImportException($"the graph has {inputs.Count} inputs where a ResNet has one (the images)");
        }
        Input = inputs[0];
    }

    public GraphProto Graph { get; }

    /// <summary>The images' input (the one graph input that is not a weight).</summary>
    public ValueInfoProto Input { get; }

    /// <summary>The nodes that read <paramref name="tensor"/>.</summary>
    public IReadOnlyList<NodeProto> Consumers(string tensor) => _consumers.TryGetValue(tensor, out var list) ? list : [];

    /// <summary>The constant called <paramref name="name"/>, or null when it is computed.</summary>
    public TensorProto? Constant(string name) => _constants.GetValueOrDefault(name);

    /// <summary>What names a node in messages: its name, or its op and first output when it has none.</summary>
    public static string Describe(NodeProto node) => node.Name.Length > 0 ? $"'{node.Name}'" : $"'{node.OpType}' writing '{node.Output.FirstOrDefault()}'";
}
