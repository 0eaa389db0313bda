using PalmLab.Engine.Inference;
using PalmLab.Engine.Models;
using PalmLab.Engine.Runtime;
using PalmLab.Engine.Training;
using static PalmLab.Bench.Timing;
using static TorchSharp.torch;

namespace PalmLab.Bench;

/// <summary>
/// `layout [depth=18] [size=224] [batch=16] [rounds=6] [fp32|bf16]`: one model's training step and evaluation batch
/// with its activations channels-first and channels-last (<see cref="ResNet.ChannelsLast"/>), taking turns in one
/// process, and the largest difference between the two layouts' logits.
/// </summary>
public static class LayoutBench
{
    public static void Run(string[] args)
    {
        int depth = Arg(args, 0, 18), size = Arg(args, 1, 224), batch = Arg(args, 2, 16), rounds = Arg(args, 3, 6);
        var precision = args.Length > 4 ? Enum.Parse<Precision>(args[4], ignoreCase: true) : Precision.Fp32;
        TorchRuntime.Initialize();
        Console.WriteLine($"channels-last by default here: {TorchRuntime.ChannelsLastByDefault}");
        using var model = Trainer.CreateModel(new TrainingConfig { Options = new() { Depth = depth } });
        model.Precision = precision;
        model.ChannelsLastMinPixels = 0; // every batch, small ones included: this compares the layouts
        using var optimizer = optim.SGD(model.parameters(), 0.005, momentum: 0.9);
        using var images = randn(batch, 3, size, size);
        using var labels = randint(0, 2, batch).to_type(ScalarType.Float32);
        using var evalImages = randn(4 * batch, 3, size, size);

        Action Train(bool channelsLast) => () =>
        {
            model.ChannelsLast = channelsLast;
            model.train();
            using var scope = NewDisposeScope();
            var loss = nn.functional.binary_cross_entropy_with_logits(model.call(images).flatten(), labels);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            loss.item<float>();
        };
        Action Evaluate(bool channelsLast) => () =>
        {
            model.ChannelsLast = channelsLast;
            Evaluator.Logits(model, evalImages, batch, CPU);
        };
        Action[] steps = [Train(false), Train(true), Evaluate(false), Evaluate(true)];
        foreach (var step in steps)
        {
            step(); // warm-up: first-touch allocations and oneDNN kernel selection
        }
        var ms = TakeTurns(rounds, steps);
        var label = $"ResNet-{depth} {size}x{size} batch {batch}{(precision == Precision.Bf16 ? " bf16" : "")}";
        Console.WriteLine(Text($"{label}: train {ms[0]:F0} -> {ms[1]:F0} ms/step ({ms[0] / ms[1]:F2}x), eval {ms[2] / 4:F0} -> {ms[3] / 4:F0} ms/batch ({ms[2] / ms[3]:F2}x) channels-first -> channels-last"));

        model.ChannelsLast = false;
        var first = Evaluator.Logits(model, evalImages, batch, CPU);
        model.ChannelsLast = true;
        var last = Evaluator.Logits(model, evalImages, batch, CPU);
        Console.WriteLine(Text($"largest logit difference between the layouts: {first.Zip(last, (a, b) => Math.Abs(a - b)).Max():G3} (largest logit {first.Max(Math.Abs):G3})"));
    }
}
