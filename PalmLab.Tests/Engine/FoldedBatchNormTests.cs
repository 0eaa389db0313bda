using PalmLab.Engine.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace PalmLab.Tests.Engine;

public class FoldedBatchNormTests
{
    // Both block kinds and all three shortcuts: identity, the strided 1x1 projection (Conv1x1Stride2) and, in
    // ResNet-50's first stage, the plain 1x1 projection.
    [Theory]
    [InlineData(18)]
    [InlineData(50)]
    public void FoldBatchNorms_TrainedModel_GivesTheSameLogitsAsTheNorms(int depth)
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        using var model = new ResNet(depth);
        TrainAFewSteps(model);
        var images = randn(4, 3, 48, 48);
        model.eval();
        using var noGrad = no_grad();
        var plain = model.call(images);

        Tensor folded, foldedAfterNormsChanged;
        using (model.FoldBatchNorms())
        {
            folded = model.call(images);
            // The folded path no longer reads the norms: shifting their statistics changes nothing until unfolded.
            var means = RunningMeans(model).Select(m => m.clone()).ToList();
            RunningMeans(model).ForEach(m => m.add_(5));
            foldedAfterNormsChanged = model.call(images);
            RunningMeans(model).Zip(means).ToList().ForEach(p => p.First.copy_(p.Second));
        }
        var after = model.call(images);

        var tolerance = 1e-4 * Math.Max(1, plain.abs().max().item<float>());
        Assert.True((plain - folded).abs().max().item<float>() < tolerance, $"folded logits {folded.data<float>().ToArray()[0]} against {plain.data<float>().ToArray()[0]}");
        Assert.Equal(folded.data<float>().ToArray(), foldedAfterNormsChanged.data<float>().ToArray());
        Assert.Equal(plain.data<float>().ToArray(), after.data<float>().ToArray());
    }

    private static List<Tensor> RunningMeans(ResNet model) =>
        model.named_buffers().Where(b => b.name.EndsWith("running_mean", StringComparison.Ordinal)).Select(b => b.buffer).ToList();

    [Fact]
    public void FoldBatchNorms_InTrainingMode_TrainsWithTheNorms()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var model = new ResNet(18);
        var images = randn(4, 3, 32, 32);
        var before = RunningMeans(model).Sum(m => m.sum().item<float>());

        using (model.FoldBatchNorms())
        {
            model.train();
            model.call(images);
        }

        // A training forward updates the running statistics, which only the batch norms themselves do.
        Assert.NotEqual(before, RunningMeans(model).Sum(m => m.sum().item<float>()));
    }

    private static void TrainAFewSteps(ResNet model)
    {
        model.train();
        using var optimizer = optim.SGD(model.parameters(), 0.01, momentum: 0.9);
        for (var step = 0; step < 3; step++)
        {
            using var scope = NewDisposeScope();
            var loss = nn.functional.binary_cross_entropy_with_logits(model.call(randn(4, 3, 48, 48) * 2 + 1).flatten(), randint(0, 2, 4).to_type(ScalarType.Float32));
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }
    }
}
