using PalmLab.Engine.Inference;
using PalmLab.Engine.Models;
using PalmLab.Engine.Runtime;
using PalmLab.Engine.Training;
using static PalmLab.Bench.Timing;
using static TorchSharp.torch;

namespace PalmLab.Bench;

/// <summary>
/// `layout [depth=18] [size=224] [batch=16] [rounds=6] [fp32|bf16]`: one model's training step and evaluation batch
/// with its activations channels-first, channels-last in the stem only (what batches below
/// <see cref="ResNet.ChannelsLastMinPixels"/> run) and channels-last throughout (<see cref="ResNet.ChannelsLast"/>),
/// taking turns in one process, and the largest difference between the layouts' logits.
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
        using var optimizer = optim.SGD(model.parameters(), 0.005, momentum: 0.9);
        using var images = randn(batch, 3, size, size);
        using var labels = randint(0, 2, batch).to_type(ScalarType.Float32);
        using var evalImages = randn(4 * batch, 3, size, size);

        // Channels-first, channels-last in the stem only, channels-last throughout, whatever the batch's size.
        void Use(int layout)
        {
            model.ChannelsLast = layout > 0;
            model.ChannelsLastMinPixels = layout == 2 ? 0 : long.MaxValue;
        }
        Action Train(int layout) => () =>
        {
            Use(layout);
            model.train();
            using var scope = NewDisposeScope();
            Trainer.Step(model, optimizer, images, labels);
        };
        Action Evaluate(int layout) => () =>
        {
            Use(layout);
            Evaluator.Logits(model, evalImages, batch, CPU);
        };
        Action[] steps = [Train(0), Train(1), Train(2), Evaluate(0), Evaluate(1), Evaluate(2)];
        foreach (var step in steps)
        {
            step(); // warm-up: first-touch allocations and oneDNN kernel selection
        }
        var ms = TakeTurns(rounds, steps);
        var label = $"ResNet-{depth} {size}x{size} batch {batch}{(precision == Precision.Bf16 ? " bf16" : "")}";
        Console.WriteLine(
            Text($"{label}: train {ms[0]:F0} -> {ms[1]:F0} -> {ms[2]:F0} ms/step ({ms[0] / ms[1]:F2}x, {ms[0] / ms[2]:F2}x), ") +
            Text($"eval {ms[3] / 4:F0} -> {ms[4] / 4:F0} -> {ms[5] / 4:F0} ms/batch ({ms[3] / ms[4]:F2}x, {ms[3] / ms[5]:F2}x) channels-first -> stem channels-last -> all channels-last"));

        var logits = Enumerable.Range(0, 3).Select(layout =>
        {
            Use(layout);
            return Evaluator.Logits(model, evalImages, batch, CPU);
        }).ToList();
        float Largest(float[] other) => logits[0].Zip(other, (a, b) => Math.Abs(a - b)).Max();
        Console.WriteLine(Text($"largest logit difference from channels-first: stem {Largest(logits[1]):G3}, all {Largest(logits[2]):G3} (largest logit {logits[0].Max(Math.Abs):G3})"));
    }
}
