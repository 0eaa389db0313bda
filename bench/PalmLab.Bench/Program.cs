using System.Diagnostics;
using System.Globalization;
using PalmLab.Engine.Data;
using PalmLab.Engine.Inference;
using PalmLab.Engine.Runtime;
using PalmLab.Engine.Synthetic;
using PalmLab.Engine.Training;
using SixLabors.ImageSharp;
using TorchSharp;
using static TorchSharp.torch;

// Throughput of the engine. Results go to docs/benchmarks.md.
//   step  [depth=50] [size=224] [batch=10] [steps=8]   median training step and evaluation batch on random data
//   epoch DIR [depth=50] [size=224] [batch=10]          one real epoch through Trainer.Run (80/20 holdout), img/s per batch
//   explain [depth=50] [size=224] [runs=8]              median Grad-CAM of one image, beside a plain forward, a decode and an overlay
//   peak  [n=4096] [runs=5]                             median n x n fp32 matrix product through libtorch on all cores: the machine's peak GFLOP/s
var mode = args.FirstOrDefault() ?? "step";
var rest = args.Skip(1).ToArray();
if (mode == "epoch")
{
    var dir = rest.Length > 0 ? rest[0] : throw new ArgumentException("epoch needs the training folder");
    var config = new TrainingConfig { TrainDir = dir, Options = new() { Holdout = 0.2, Depth = Arg(rest, 1, 50), ImageSize = Arg(rest, 2, 224), BatchSize = Arg(rest, 3, 10), Epochs = 1 } };
    var result = Trainer.Run(config, Path.Combine(Path.GetTempPath(), "palmlab-bench"),
        new TrainingHooks(b => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batch {b.Batch}/{b.BatchesPerEpoch}: {b.ImagesPerSecond:F2} img/s"))));
    var epoch = result.Epochs[0];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"ResNet-{config.Options.Depth} {config.Options.ImageSize}px batch {config.Options.BatchSize}: data {result.DataLoadSeconds:F1}s, epoch {epoch.ImagesPerSecond:F2} img/s, held-out accuracy {epoch.Validation?.Accuracy:F3}"));
    return;
}

if (mode == "explain")
{
    int explainDepth = Arg(rest, 0, 50), explainSize = Arg(rest, 1, 224), runs = Arg(rest, 2, 8);
    var target = TorchRuntime.Initialize();
    using var net = Trainer.CreateModel(new TrainingConfig { Options = new() { Depth = explainDepth } });
    net.to(target);
    // A synthetic photograph at the real set's smaller size, as an upload would arrive.
    using var photo = FundusGenerator.Render(FundusClass.Pathologic, 1444, 1444, seed: 1);
    using var jpeg = new MemoryStream();
    photo.SaveAsJpeg(jpeg);
    var bytes = jpeg.ToArray();
    var values = new float[3 * explainSize * explainSize];
    using var input = tensor(values, [1, 3, explainSize, explainSize]);
    float[] map = [];
    var decode = Median(runs, () => ImageDecoder.DecodeInto(bytes, explainSize, values, "photo.jpg"));
    var forward = Median(runs, () => Evaluator.Logits(net, input, 1, target));
    var cam = Median(runs, () => map = GradCam.Compute(net, input, target).HeatMap);
    var overlay = Median(runs, () => CamImage.OverlayPng(bytes, "photo.jpg", map, explainSize));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"ResNet-{explainDepth} {explainSize}px, threads {get_num_threads()}: Grad-CAM {cam:F0} ms, plain forward {forward:F0} ms, decode of a 1444x1444 JPEG {decode:F0} ms, overlay PNG {overlay:F0} ms"));
    return;
}

if (mode == "peak")
{
    int n = Arg(rest, 0, 4096), runs = Arg(rest, 1, 5);
    TorchRuntime.Initialize();
    using var a = randn(n, n);
    using var b = randn(n, n);
    var milliseconds = Median(runs, () =>
    {
        using var product = a.matmul(b);
        product[0, 0].item<float>();
    });
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"matmul {n}x{n} fp32, threads {get_num_threads()}: {milliseconds:F0} ms, {2.0 * n * n * n / milliseconds / 1e6:F1} GFLOP/s"));
    return;
}

int depth = Arg(rest, 0, 50), size = Arg(rest, 1, 224), batch = Arg(rest, 2, 10), steps = Arg(rest, 3, 8);
var device = TorchRuntime.Initialize();
Console.WriteLine($"device {device.type}, threads {get_num_threads()}, malloc tuned {TorchRuntime.MallocTuned}");
using var model = Trainer.CreateModel(new TrainingConfig { Options = new() { Depth = depth } });
model.to(device);
using var optimizer = optim.SGD(model.parameters(), 0.005, momentum: 0.9);
using var images = randn(batch, 3, size, size);
using var labels = randint(0, 2, batch).to_type(ScalarType.Float32);

var train = Measure(() =>
{
    using var scope = NewDisposeScope();
    var loss = nn.functional.binary_cross_entropy_with_logits(model.call(images.to(device)).flatten(), labels.to(device));
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    loss.item<float>();
});
var eval = Measure(() => Evaluator.Logits(model, images, batch, device));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"ResNet-{depth} {size}x{size} batch {batch}: train {train:F0} ms/step ({batch * 1000 / train:F1} img/s), eval {eval:F0} ms/batch ({batch * 1000 / eval:F1} img/s)"));

double Measure(Action step) => Median(steps, step);

static double Median(int steps, Action step)
{
    step(); // warm-up: first-touch allocations and oneDNN kernel selection
    var times = new List<double>();
    for (var i = 0; i < steps; i++)
    {
        var clock = Stopwatch.StartNew();
        step();
        times.Add(clock.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    return times[times.Count / 2];
}

static int Arg(string[] values, int index, int fallback) =>
    values.Length > index ? int.Parse(values[index], CultureInfo.InvariantCulture) : fallback;
