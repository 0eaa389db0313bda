using PalmLab.Engine;
using PalmLab.Engine.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace PalmLab.Tests.Engine;

public class ResNetTests
{
    // torchvision's counts with the 1000-class head swapped for a 1-output one.
    [Theory]
    [InlineData(18, 11_177_025)]
    [InlineData(34, 21_285_185)]
    [InlineData(50, 23_510_081)]
    [InlineData(101, 42_502_209)]
    [InlineData(152, 58_145_857)]
    public void Parameters_EachDepth_MatchTorchvisionWithOneOutput(int depth, long expected)
    {
        using var model = new ResNet(depth);

        Assert.Equal(expected, model.parameters().Sum(p => p.numel()));
    }

    [Theory]
    [InlineData(18)]
    [InlineData(34)]
    [InlineData(50)]
    [InlineData(101)]
    [InlineData(152)]
    public void Forward_SmallImages_GivesOneLogitPerImage(int depth)
    {
        using var model = new ResNet(depth);
        model.eval();
        using var scope = NewDisposeScope();

        var output = model.call(randn(2, 3, 48, 48));

        Assert.Equal([2L, 1L], output.shape);
        Assert.False(output.isnan().any().item<bool>());
    }

    [Fact]
    public void StateDict_Keys_UseTorchvisionNames()
    {
        using var model = new ResNet(50);

        var keys = model.state_dict().Keys.ToHashSet();

        Assert.Contains("conv1.weight", keys);
        Assert.Contains("bn1.running_mean", keys);
        Assert.Contains("layer1.0.conv3.weight", keys);
        Assert.Contains("layer1.0.downsample.0.weight", keys);
        Assert.Contains("layer3.0.downsample.0.weight", keys);
        Assert.Contains("layer4.2.bn3.num_batches_tracked", keys);
        Assert.Contains("fc.weight", keys);
        Assert.Contains("fc.bias", keys);
        Assert.Equal([2048L, 1024L, 1L, 1L], model.state_dict()["layer4.0.downsample.0.weight"].shape);
    }

    [Fact]
    public void Conv1x1Stride2_SameWeights_EqualsStridedConvolutionForwardAndBackward()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var fast = new Conv1x1Stride2(8, 16);
        var reference = nn.Conv2d(8, 16, 1, stride: 2, bias: false);
        using (no_grad())
        {
            reference.weight.copy_(fast.parameters().Single());
        }
        var input = randn(2, 8, 7, 9);
        var a = input.clone().requires_grad_(true);
        var b = input.clone().requires_grad_(true);

        var outFast = fast.call(a);
        var outReference = reference.call(b);
        outFast.sum().backward();
        outReference.sum().backward();

        Assert.Equal(outReference.shape, outFast.shape);
        Assert.True(outFast.allclose(outReference, rtol: 1e-5, atol: 1e-6));
        Assert.True(a.grad!.allclose(b.grad!, rtol: 1e-5, atol: 1e-6));
        Assert.True(fast.parameters().Single().grad!.allclose(reference.weight.grad!, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void Constructor_UnknownDepth_SaysWhichDepthsExist()
    {
        var error = Assert.Throws<PalmLabException>(() => new ResNet(42));

        Assert.Contains("18, 34, 50, 101, 152", error.Message);
    }
}
