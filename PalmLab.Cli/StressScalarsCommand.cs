using System.CommandLine;
using PalmLab.Engine.Models;
using PalmLab.Engine.Runtime;
using PalmLab.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace PalmLab.Cli;

/// <summary>
/// <c>palmlab stress-scalars</c> (hidden): training steps of the real model, augmenter and optimizer with garbage
/// collections and finalizers running between and during the steps, half of the optimizer steps outside any dispose scope. A Scalar
/// that libtorch reads after its finalizer freed it fails a step (or the process); the tests run it in a child process.
/// </summary>
internal static class StressScalarsCommand
{
    private static readonly Option<int> Steps = new("--steps") { Description = "Training steps to run.", DefaultValueFactory = _ => 200 };

    public static Command Create()
    {
        var command = new Command("stress-scalars", "Training steps under constant garbage collection (a test of native lifetimes).") { Steps };
        command.Hidden = true;
        command.SetAction((parsed, cancellationToken) =>
            CommandRunner.RunAsync(() => Task.Run(() => Run(parsed.GetValue(Steps), cancellationToken), cancellationToken)));
        return command;
    }

    private static int Run(int steps, CancellationToken cancellationToken)
    {
        TorchRuntime.Initialize("cpu", 1);
        var options = new TrainingOptions { Depth = 18, ImageSize = 32, BatchSize = 2, LearningRate = 0.01, WeightDecay = 1e-4, AugmentFlip = true, AugmentRotation = 10 };
        torch.manual_seed(1);
        using var model = new ResNet(options.Depth);
        using var optimizer = Trainer.CreateOptimizer(model, options);
        using var images = torch.rand(options.BatchSize, 3, options.ImageSize, options.ImageSize);
        using var labels = torch.tensor([0f, 1f]);
        var random = new Random(1);
        long collections = 0;
        using var stop = new CancellationTokenSource();
        // Collections started by another thread while this one is inside libtorch are what freed the scalars in use.
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                Interlocked.Increment(ref collections);
            }
        }) { IsBackground = true, Name = "stress-collector" };
        collector.Start();
        var step = 0;
        try
        {
            model.train();
            for (; step < steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var group in optimizer.ParamGroups)
                {
                    group.LearningRate = options.LearningRate * (1 - (double)step / steps);
                }
                if (step % 2 == 0)
                {
                    using (NewDisposeScope())
                    {
                        Trainer.Step(model, optimizer, Augmenter.Apply(images, options, random), labels);
                    }
                }
                else
                {
                    using (NewDisposeScope())
                    {
                        var output = nn.functional.binary_cross_entropy_with_logits(model.call(Augmenter.Apply(images, options, random)).flatten(), labels);
                        optimizer.zero_grad();
                        output.backward();
                    }
                    // The optimizer opens a dispose scope of its own for its tensors, but none holds the scalars it makes.
                    optimizer.step();
                }
                if (step % 10 == 9)
                {
                    Evaluate(model, images);
                }
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Console.Error.WriteLine($"failed at step {step + 1} of {steps}");
            throw;
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }
        Console.WriteLine($"ok: {steps} steps, {Interlocked.Read(ref collections)} concurrent collections");
        return 0;
    }

    private static void Evaluate(ResNet model, Tensor images)
    {
        model.eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            using var folded = model.FoldBatchNorms();
            model.call(images).sigmoid();
        }
        finally
        {
            model.train();
        }
    }
}
