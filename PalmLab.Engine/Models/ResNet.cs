using PalmLab.Engine.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PalmLab.Engine.Models;

/// <summary>
/// ResNet-18, 34, 50, 101 or 152 with a one-logit head (pathologic myopia or not).
/// Submodules carry torchvision's names, so state-dict keys line up with PyTorch checkpoints.
/// </summary>
public sealed class ResNet : nn.Module<Tensor, Tensor>
{
    /// <summary>The depths PalmLab builds.</summary>
    public static readonly IReadOnlyList<int> Depths = [18, 34, 50, 101, 152];

    private readonly Conv2d conv1;
    private readonly KeepAliveBatchNorm2d bn1;
    private readonly ReLU relu;
    private readonly MaxPool2d maxpool;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Linear fc;
    private readonly Tensor? input_order;
    private readonly Tensor? input_scale;
    private readonly Tensor? input_shift;
    private FoldedConv? stem;

    /// <summary>Number of layers: 18, 34, 50, 101 or 152.</summary>
    public int Depth { get; }

    /// <summary>The shape it was built with, as a checkpoint records it.</summary>
    public ResNetArchitecture Architecture { get; }

    /// <summary>
    /// The type its layers compute in (<see cref="Mixed"/>): fp32, or bf16 with fp32 weights, statistics and logits.
    /// Not part of a checkpoint: the same weights run in either.
    /// </summary>
    public Precision Precision { get; set; }

    /// <summary>
    /// Whether its activations run channels-last (NHWC strides) on the CPU: the stem's always (libtorch's max pool is
    /// several times faster on them, and the batch norm and ReLU with it), the whole network's for a batch of
    /// <see cref="ChannelsLastMinPixels"/> pixels or more, where oneDNN's convolutions take them faster. The outputs are
    /// the same to float rounding. On where the processor allows it (<see cref="TorchRuntime.ChannelsLastByDefault"/>);
    /// not part of a checkpoint. A GPU's activations stay channels-first.
    /// </summary>
    public bool ChannelsLast { get; set; } = TorchRuntime.ChannelsLastByDefault;

    /// <summary>
    /// Images x height x width from which a batch runs channels-last after its stem too: 16 images of 128x128. Measured
    /// in one process (bench layout, docs/benchmarks.md, issue 24): at 224 px, batches of 10 and 16, training 1.05-1.16x
    /// and evaluation 1.13-1.41x faster; at 128 px evaluation 1.12-1.34x, training 0.97-1.05x; 64 px batches and single
    /// 224 px images slower.
    /// </summary>
    public long ChannelsLastMinPixels { get; set; } = 16 * 128 * 128;

    /// <summary>Builds an untrained torchvision ResNet of that depth; seed torch first (<c>torch.manual_seed</c>) for reproducible weights.</summary>
    public ResNet(int depth) : this(ResNetArchitecture.Standard(depth))
    {
    }

    /// <summary>Builds an untrained network of that shape (a pretrained one's weights are loaded into it afterwards).</summary>
    public ResNet(ResNetArchitecture architecture) : base($"ResNet{architecture.Depth}")
    {
        if (architecture.Blocks is not { Length: 4 } blocks || blocks.Any(b => b < 1))
        {
            throw new PalmLabException($"A ResNet has four stages of one block or more, not [{string.Join(", ", architecture.Blocks ?? [])}].");
        }
        var bottleneck = architecture.Bottleneck;
        var shortEnd = architecture.ShortEndPadding;
        Depth = architecture.Depth;
        Architecture = architecture;
        var expansion = bottleneck ? Bottleneck.Expansion : BasicBlock.Expansion;
        long inPlanes = 64;

        conv1 = nn.Conv2d(3, 64, 7, stride: 2, padding: shortEnd ? 0 : 3, bias: false);
        bn1 = new KeepAliveBatchNorm2d(64);
        relu = nn.ReLU(inplace: true);
        maxpool = nn.MaxPool2d(3, stride: 2, padding: shortEnd ? 0 : 1);
        layer1 = MakeLayer(64, blocks[0], 1);
        layer2 = MakeLayer(128, blocks[1], 2);
        layer3 = MakeLayer(256, blocks[2], 2);
        layer4 = MakeLayer(512, blocks[3], 2);
        avgpool = nn.AdaptiveAvgPool2d([1, 1]);
        fc = nn.Linear(512 * expansion, 1);
        if (architecture.Input is { } transform)
        {
            if (transform.ChannelOrder is not { Length: 3 } order || order.Order().SequenceEqual([0, 1, 2]) is false ||
                transform.Scale is not { Length: 3 } || transform.Shift is not { Length: 3 })
            {
                throw new PalmLabException("An input transform takes three channels: an order of 0, 1 and 2, three scales and three shifts.");
            }
            input_order = tensor(order.Select(c => (long)c).ToArray());
            input_scale = tensor(transform.Scale, [1, 3, 1, 1]);
            input_shift = tensor(transform.Shift, [1, 3, 1, 1]);
        }
        RegisterComponents();
        InitializeWeights();

        Sequential MakeLayer(long planes, int count, long stride)
        {
            nn.Module<Tensor, Tensor>? downsample = null;
            if (stride != 1 || inPlanes != planes * expansion)
            {
                nn.Module<Tensor, Tensor> projection = stride == 2
                    ? new Conv1x1Stride2(inPlanes, planes * expansion)
                    : new Conv1x1(inPlanes, planes * expansion);
                downsample = nn.Sequential(projection, new KeepAliveBatchNorm2d(planes * expansion));
            }
            var layers = new List<nn.Module<Tensor, Tensor>>();
            for (var i = 0; i < count; i++)
            {
                layers.Add(bottleneck
                    ? new Bottleneck(inPlanes, planes, i == 0 ? stride : 1, i == 0 ? downsample : null, shortEnd)
                    : new BasicBlock(inPlanes, planes, i == 0 ? stride : 1, i == 0 ? downsample : null, shortEnd));
                inPlanes = planes * expansion;
            }
            return nn.Sequential(layers);
        }
    }

    /// <summary>Returns logits of shape [N, 1] for images of shape [N, 3, H, W].</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return Head(Features(input)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Until the result is disposed, evaluation (not training) runs with every batch norm folded into the convolution
    /// before it, from the weights and running statistics as they are now: the same logits (to float rounding), fewer passes.
    /// </summary>
    public IDisposable FoldBatchNorms()
    {
        SetFolded(true);
        return new Unfold(this);
    }

    private void SetFolded(bool on)
    {
        stem?.Dispose();
        stem = on ? FoldedConv.Of(conv1.weight!, bn1, 2, Architecture.ShortEndPadding ? 0 : 3, pad: Architecture.ShortEndPadding ? ShortEnd.Pad(7) : null) : null;
        foreach (var module in modules())
        {
            switch (module)
            {
                case BasicBlock block:
                    block.Fold(on);
                    break;
                case Bottleneck block:
                    block.Fold(on);
                    break;
            }
        }
    }

    /// <summary>The last stage's activations [N, C, H/32, W/32] for images [N, 3, H, W]: what Grad-CAM weighs.</summary>
    public Tensor Features(Tensor input)
    {
        if (Architecture.ShortEndPadding && (input.shape[^1] % 32 != 0 || input.shape[^2] % 32 != 0))
        {
            // Its 3x3 and 1x1 stride-2 paths disagree on an odd size, as they do in the ONNX file it came from.
            throw new PalmLabException($"This network pads its strided layers as CNTK does and takes images whose size is a multiple of 32, not {input.shape[^2]}x{input.shape[^1]}.");
        }
        using var scope = NewDisposeScope();
        var x = Stem(input);
        // Below the threshold the layers run faster channels-first: contiguous() is that layout.
        x = input.shape[0] * input.shape[2] * input.shape[3] < ChannelsLastMinPixels ? x.contiguous() : x;
        return layer4.call(layer3.call(layer2.call(layer1.call(x)))).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The stem's output (first convolution, batch norm, ReLU, max pool) for images [N, 3, H, W]: channels-last strides
    /// wherever <see cref="ChannelsLast"/> holds on the CPU, whatever the batch's size.
    /// </summary>
    public Tensor Stem(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = Transform(input);
        x = Precision == Precision.Bf16 ? x.to(ScalarType.BFloat16) : x;
        // Every layer after keeps the layout of its input. TorchSharp has no memory_format: these strides are channels-last.
        x = ChannelsLast && x.device_type == DeviceType.CPU ? x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2) : x;
        x = stem is { } folded && !training ? folded.Call(x) : bn1.call(Mixed.Conv(conv1, ShortEnd.Apply(x, 7, Architecture.ShortEndPadding)));
        // After the ReLU every value is 0 or more, so padding with 0 equals ONNX's max pool, which ignores its padding.
        return maxpool.call(ShortEnd.Apply(relu.call(x), 3, Architecture.ShortEndPadding)).MoveToOuterDisposeScope();
    }

    /// <summary>The images as the first layer takes them (<see cref="ResNetArchitecture.Input"/>); the images themselves when there is no transform.</summary>
    public Tensor Transform(Tensor input)
    {
        if (input_order is null || input_scale is null || input_shift is null)
        {
            return input;
        }
        using var scope = NewDisposeScope();
        return input.index_select(1, input_order).mul(input_scale).add(input_shift).MoveToOuterDisposeScope();
    }

    /// <summary>fp32 logits [N, 1] from the last stage's activations (global average pooling, then the one-logit layer).</summary>
    public Tensor Head(Tensor features)
    {
        using var scope = NewDisposeScope();
        return Mixed.Linear(fc, avgpool.call(features).flatten(1)).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    private sealed class Unfold(ResNet model) : IDisposable
    {
        private ResNet? _model = model;

        public void Dispose() => Interlocked.Exchange(ref _model, null)?.SetFolded(false);
    }

    private void InitializeWeights()
    {
        using var noGrad = no_grad();
        foreach (var (_, module) in named_modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    nn.init.kaiming_normal_(conv.weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
                    break;
                case Conv1x1 conv:
                    nn.init.kaiming_normal_(conv.Weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
                    break;
                case BatchNorm bn:
                    nn.init.ones_(bn.weight);
                    nn.init.zeros_(bn.bias);
                    break;
            }
        }
    }
}
