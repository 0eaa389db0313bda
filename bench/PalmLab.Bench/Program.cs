using System.Diagnostics;
using System.Globalization;
using PalmLab.Engine.Runtime;
using PalmLab.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

// Throughput of the engine. Results go to docs/benchmarks.md.
//   step  [depth=50] [size=224] [batch=10] [steps=8]   median training step and evaluation batch on random data
//   epoch DIR [depth=50] [size=224] [batch=10]          one real epoch through Trainer.Run (80/20 holdout), img/s per batch
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

double Measure(Action step)
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
