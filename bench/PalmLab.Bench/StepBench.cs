using System.Diagnostics;
using PalmLab.Engine.Inference;
using PalmLab.Engine.Models;
using PalmLab.Engine.Runtime;
using PalmLab.Engine.Training;
using TorchSharp;
using static PalmLab.Bench.Timing;
using static TorchSharp.torch;

namespace PalmLab.Bench;

/// <summary>
/// `step [depth=50] [size=224] [batch=10] [steps=8] [fp32|bf16]`: median training step, and evaluation batch (of a
/// four-batch pass), on random data, in that precision (<see cref="Precision"/>).
/// </summary>
public static class StepBench
{
    public static void Run(string[] args)
    {
        int depth = Arg(args, 0, 50), size = Arg(args, 1, 224), batch = Arg(args, 2, 10), steps = Arg(args, 3, 8);
        var precision = args.Length > 4 ? Enum.Parse<Precision>(args[4], ignoreCase: true) : Precision.Fp32;
        var device = TorchRuntime.Initialize();
        Console.WriteLine($"device {device.type}, threads {get_num_threads()}, malloc tuned {TorchRuntime.MallocTuned}");
        using var model = Trainer.CreateModel(new TrainingConfig { Options = new() { Depth = depth } });
        model.to(device);
        model.Precision = precision;
        using var optimizer = optim.SGD(model.parameters(), 0.005, momentum: 0.9);
        using var images = randn(batch, 3, size, size);
        using var labels = randint(0, 2, batch).to_type(ScalarType.Float32);

        List<double> forward = [], backward = [], update = [];
        var train = Median(steps, () =>
        {
            using var scope = NewDisposeScope();
            var start = Stopwatch.GetTimestamp();
            var loss = nn.functional.binary_cross_entropy_with_logits(model.call(images.to(device)).flatten(), labels.to(device));
            var forwardEnd = Stopwatch.GetTimestamp();
            optimizer.zero_grad();
            loss.backward();
            var backwardEnd = Stopwatch.GetTimestamp();
            optimizer.step();
            loss.item<float>();
            forward.Add(Stopwatch.GetElapsedTime(start, forwardEnd).TotalMilliseconds);
            backward.Add(Stopwatch.GetElapsedTime(forwardEnd, backwardEnd).TotalMilliseconds);
            update.Add(Stopwatch.GetElapsedTime(backwardEnd).TotalMilliseconds);
        });
        // Where a step's time goes (medians after the warm-up): on stderr, so run.sh reads the one line it reads.
        Console.Error.WriteLine(Text($"phases: forward {MedianOf(forward.Skip(1)):F1} ms, backward {MedianOf(backward.Skip(1)):F1} ms, optimizer {MedianOf(update.Skip(1)):F1} ms"));
        // Evaluation as a validation pass makes it: four batches a call, timed per batch.
        using var evalImages = randn(4 * batch, 3, size, size);
        var eval = Median(steps, () => Evaluator.Logits(model, evalImages, batch, device)) / 4;
        Console.WriteLine(Text(
            $"ResNet-{depth} {size}x{size} batch {batch}{(precision == Precision.Bf16 ? " bf16" : "")}: train {train:F0} ms/step ({batch * 1000 / train:F1} img/s), eval {eval:F0} ms/batch ({batch * 1000 / eval:F1} img/s)"));
    }
}
