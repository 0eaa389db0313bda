using PalmLab.Engine;
using PalmLab.Engine.Backbones;
using PalmLab.Engine.Data;
using PalmLab.Engine.Inference;
using PalmLab.Engine.Models;
using PalmLab.Engine.Training;
using PalmLab.Tests.Support;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PalmLab.Tests.Engine;

/// <summary>
/// Training from a pretrained backbone. Every expectation compares the network with itself (before and after, or one
/// run with another), never with the backbone's own numbers, so it holds for any backbone's weights.
/// </summary>
public class FineTuningTests(TrainingFixture data) : IClassFixture<TrainingFixture>
{
    private TrainingConfig Pretrained(Func<TrainingOptions, TrainingOptions>? change = null) =>
        data.Config.With(o => (change ?? (x => x))(o with { Backbone = Backbones.ImageNetResNet18, Depth = Backbones.DepthOf(Backbones.ImageNetResNet18, null), Epochs = 1 }));

    [Fact]
    public void Run_BackboneLearningRateFactor_ScalesTheBackbonesUpdateAndLeavesTheHeads()
    {
        // One batch of all 20 images: the first step's update is the rate times the gradient, which both runs share.
        TrainingConfig Config(double factor) => Pretrained(o => o with { BatchSize = 20, LearningRate = 0.05, BackboneLearningRate = factor });
        using var start = Trainer.CreateModel(Config(1));
        using var full = Trained(Config(1));
        using var quarter = Trained(Config(0.25));

        var (fullBackbone, fullHead) = Deltas(start, full);
        var (quarterBackbone, quarterHead) = Deltas(start, quarter);

        Assert.True(fullBackbone > 0, "the backbone did not learn at all");
        Assert.Equal(0.25, quarterBackbone / fullBackbone, 3);
        Assert.Equal(fullHead, quarterHead);
    }

    [Fact]
    public void Run_BackboneLearningRateZero_LeavesEveryBackboneWeightAsLoadedAndTrainsTheHead()
    {
        var config = Pretrained(o => o with { BackboneLearningRate = 0 });
        using var start = Trainer.CreateModel(config);
        using var trained = Trained(config);

        var (backbone, head) = Deltas(start, trained);

        Assert.Equal(0, backbone);
        Assert.True(head > 0, "the head did not learn");
        using var model = Trainer.CreateModel(config);
        using var optimizer = Trainer.CreateOptimizer(model, config.Options);
        Assert.All(model.named_parameters(), p => Assert.Equal(FineTuning.IsHead(p.name), p.parameter.requires_grad));
        Assert.Equal(2, Assert.IsAssignableFrom<ParamGroup>(optimizer.ParamGroups.Single()).Parameters.Count());
    }

    [Fact]
    public void Run_FreezeBatchNorm_KeepsEveryStatisticAndNormWeightAcrossEpochsAndTrainsTheRest()
    {
        // Two epochs with validation between them: evaluation puts every module back in training mode. A small rate keeps
        // any backbone finite: frozen batch norms no longer rescale what the changing convolutions give them.
        var config = Pretrained(o => o with { FreezeBatchNorm = true, Epochs = 2, LearningRate = 1e-6, EndLearningRate = 1e-7 });
        using var start = Trainer.CreateModel(config);
        using var trained = Trained(config);

        var before = start.state_dict();
        var norms = start.named_modules().Where(m => m.module is BatchNorm).Select(m => m.name + ".").ToList();
        var changed = trained.state_dict().Where(p => !p.Value.eq(before[p.Key]).all().item<bool>()).Select(p => p.Key).ToList();

        Assert.NotEmpty(norms);
        Assert.DoesNotContain(changed, key => norms.Any(key.StartsWith));
        Assert.Contains("fc.weight", changed);
        Assert.Contains("conv1.weight", changed);
    }

    [Fact]
    public void Run_PretrainedCancelledThenResumed_EndsWithTheWeightsOfAnUninterruptedRun()
    {
        var config = Pretrained(o => o with { Epochs = 2, BackboneLearningRate = 0.5, FreezeBatchNorm = true, LearningRate = 1e-6, EndLearningRate = 1e-7 });
        var uninterrupted = Trainer.Run(config, data.NewOutputDir());
        var output = data.NewOutputDir();
        using var cancel = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            Trainer.Run(config, output, new TrainingHooks(Epoch: _ => cancel.Cancel()), cancellationToken: cancel.Token));

        var resumed = Trainer.Run(config, output, resumeFrom: Path.Combine(output, Trainer.LastCheckpointName));

        Assert.Equal([2], resumed.Epochs.Select(e => e.Epoch));
        Assert.Equal(uninterrupted.Epochs[^1].TrainLoss, resumed.Epochs[^1].TrainLoss);
        using var expected = Checkpoint.LoadModel(uninterrupted.LastCheckpoint, CPU).Model;
        using var actual = Checkpoint.LoadModel(resumed.LastCheckpoint, CPU).Model;
        var reference = expected.state_dict();
        Assert.All(actual.state_dict(), p => Assert.True(p.Value.eq(reference[p.Key]).all().item<bool>(), $"{p.Key} differs"));
    }

    [Fact]
    public void Resume_FromAnotherBackboneOrFrozenOtherwise_IsRefusedNamingBoth()
    {
        var scratch = data.Config.Options;
        var pretrained = Pretrained().Options;

        var backbone = Assert.Throws<PalmLabException>(() => Trainer.EnsureResumable(scratch, pretrained, "last.ckpt"));
        var frozen = Assert.Throws<PalmLabException>(() => Trainer.EnsureResumable(pretrained, pretrained with { BackboneLearningRate = 0 }, "last.ckpt"));

        Assert.Equal("last.ckpt started from the backbone scratch, not resnet18-imagenet.", backbone.Message);
        Assert.Contains("backbone-lr 1 and freeze-bn false", frozen.Message);
        Assert.Contains("backbone-lr 0 and freeze-bn false", frozen.Message);
    }

    [Fact]
    public void Checkpoint_OfAPretrainedRun_RecordsTheBackboneReloadsAndPredictsAsTrained()
    {
        var config = Pretrained(o => o with { BackboneLearningRate = 0.1 });
        var result = Trainer.Run(config, data.NewOutputDir());

        var (model, header) = Checkpoint.LoadModel(result.LastCheckpoint, CPU);
        using var loaded = model;
        var (_, validItems) = Trainer.ReadData(config);
        using var valid = ImageTensorSet.Load(validItems!, config.Options.ImageSize);
        var evaluation = Evaluator.Evaluate(loaded, valid, 4, 0.5, CPU);
        using var predictor = Predictor.Load(result.LastCheckpoint, "cpu");
        var predictions = predictor.Predict(validItems!.Select(i => i.Path).ToList());
        var explanation = predictor.Explain(File.ReadAllBytes(validItems![0].Path), "upload.jpg");

        Assert.Equal(Backbones.ImageNetResNet18, header.Config.Options.Backbone);
        Assert.True(header.Architecture!.SameShape(Backbones.ArchitectureOf(Backbones.ImageNetResNet18, null)!));
        Assert.Equal(result.Epochs[^1].ValidationLoss!.Value, evaluation.Loss, 6);
        Assert.Equal(evaluation.Probabilities, predictions.Select(p => p.Probability!.Value), new FloatTolerance(1e-5f));
        Assert.Equal(predictions[0].Probability!.Value, explanation.Prediction.Probability!.Value, 1e-5f);
        Assert.Equal(32 * 32, explanation.HeatMap.Length);
        Assert.All(explanation.HeatMap, v => Assert.InRange(v, 0f, 1f));
    }

    private static ResNet Trained(TrainingConfig config)
    {
        using var temp = new TempDir();
        var result = Trainer.Run(config, temp.Sub("out"));
        return Checkpoint.LoadModel(result.LastCheckpoint, CPU).Model;
    }

    // The size of each part's change: the Euclidean norm of (after - before) over the backbone's and the head's parameters.
    private static (double Backbone, double Head) Deltas(ResNet before, ResNet after)
    {
        var reference = before.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        double backbone = 0, head = 0;
        foreach (var (name, parameter) in after.named_parameters())
        {
            using var delta = parameter.detach().to(float64).sub(reference[name].detach().to(float64));
            var squares = delta.square().sum().item<double>();
            if (FineTuning.IsHead(name))
            {
                head += squares;
            }
            else
            {
                backbone += squares;
            }
        }
        return (Math.Sqrt(backbone), Math.Sqrt(head));
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
