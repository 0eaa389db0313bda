using PalmLab.Engine.Models;
using PalmLab.Engine.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PalmLab.Tests.Engine;

/// <summary>The scalar-safe optimizer and batch norm must train exactly as TorchSharp's own, which they replace.</summary>
public sealed class KeepAliveSgdTests
{
    [Theory]
    [InlineData(0.0, 0.0, false)]
    [InlineData(0.9, 0.0, false)]
    [InlineData(0.9, 1e-4, false)]
    [InlineData(0.9, 1e-4, true)]
    public void Step_SameGradients_UpdatesBitForBitAsTorchSharpSgd(double momentum, double weightDecay, bool nesterov)
    {
        using var ours = Weights();
        using var theirs = Weights();
        using var keepAlive = new KeepAliveSgd(new[] { ours }, 0.05, momentum, weightDecay, nesterov);
        using var reference = torch.optim.SGD(new[] { theirs }, 0.05, momentum, weight_decay: weightDecay, nesterov: nesterov);

        for (var step = 0; step < 4; step++)
        {
            foreach (var (optimizer, weights) in new (SGD, Parameter)[] { (keepAlive, ours), (reference, theirs) })
            {
                using var scope = NewDisposeScope();
                foreach (var group in optimizer.ParamGroups)
                {
                    group.LearningRate = 0.05 / (step + 1);
                }
                optimizer.zero_grad();
                (weights * weights * (step + 1)).sum().backward();
                optimizer.step();
            }
            Assert.Equal(theirs.data<float>().ToArray(), ours.data<float>().ToArray());
        }
    }

    [Fact]
    public void Forward_Training_MatchesTorchSharpBatchNormAndCountsBatches()
    {
        using var ours = new KeepAliveBatchNorm2d(3);
        using var theirs = nn.BatchNorm2d(3);
        torch.manual_seed(5);
        using var input = torch.randn(4, 3, 5, 5);

        for (var i = 0; i < 3; i++)
        {
            using var a = ours.call(input);
            using var b = theirs.call(input);
            Assert.Equal(b.data<float>().ToArray(), a.data<float>().ToArray());
        }

        Assert.Equal(theirs.running_mean!.data<float>().ToArray(), ours.running_mean!.data<float>().ToArray());
        Assert.Equal(theirs.running_var!.data<float>().ToArray(), ours.running_var!.data<float>().ToArray());
        Assert.Equal(3L, ours.num_batches_tracked!.item<long>());
        Assert.Equal(theirs.state_dict().Keys.Order(), ours.state_dict().Keys.Order());
    }

    private static Parameter Weights()
    {
        torch.manual_seed(7);
        return nn.Parameter(torch.randn(3, 4));
    }
}
