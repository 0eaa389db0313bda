using PalmLab.Engine.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace PalmLab.Tests.Engine;

public class ResNetArchitectureTests
{
    private static readonly ResNetArchitecture Cntk18 = ResNetArchitecture.Standard(18) with
    {
        Blocks = [2, 2, 2, 3],
        ShortEndPadding = true,
        Input = new InputTransform([2, 1, 0], [127.5f, 127.5f, 127.5f], [20f, 10f, 0f]),
    };

    [Fact]
    public void Standard_IsStandard_AndAnImportedShapeIsNot()
    {
        Assert.True(ResNetArchitecture.Standard(50).IsStandard);
        Assert.False(Cntk18.IsStandard);
        Assert.True(Cntk18.SameShape(Cntk18 with { Blocks = [2, 2, 2, 3] }));
    }

    [Fact]
    public void Transform_ReordersScalesAndShiftsChannels_AndIsInTheStateDict()
    {
        using var model = new ResNet(Cntk18);
        using var scope = NewDisposeScope();
        var image = tensor(new float[] { 0.1f, 0.2f, 0.3f }, [1, 3, 1, 1]);

        var x = model.Transform(image).flatten().data<float>().ToArray();

        Assert.Equal(new[] { 0.3f * 127.5f + 20f, 0.2f * 127.5f + 10f, 0.1f * 127.5f }, x, new ToleranceComparer(1e-4f));
        Assert.Contains("input_scale", model.state_dict().Keys);
        Assert.Contains("layer4.2.conv2.weight", model.state_dict().Keys);
        Assert.DoesNotContain("input_scale", new ResNet(18).state_dict().Keys);
    }

    [Theory]
    [InlineData(64)]
    [InlineData(96)]
    public void ShortEndPadding_FoldedEvaluationEqualsUnfolded(int size)
    {
        torch.manual_seed(3);
        using var model = new ResNet(Cntk18);
        model.eval();
        using var scope = NewDisposeScope();
        var images = rand(2, 3, size, size) * 2 - 1;

        var plain = model.call(images);
        Tensor folded;
        using (model.FoldBatchNorms())
        {
            folded = model.call(images);
        }

        Assert.True(plain.allclose(folded, rtol: 1e-4, atol: 1e-4), $"folded {folded.data<float>()[0]} vs {plain.data<float>()[0]}");
    }

    [Fact]
    public void ShortEndPadding_EqualsSymmetricOnMultiplesOf32_AndRefusesOtherSizes()
    {
        var shortEnd = ResNetArchitecture.Standard(18) with { ShortEndPadding = true };
        torch.manual_seed(5);
        using var a = new ResNet(shortEnd);
        using var b = new ResNet(18);
        b.load_state_dict(a.state_dict());
        a.eval();
        b.eval();
        using var scope = NewDisposeScope();
        var image = rand(1, 3, 64, 64);

        Assert.True(a.Features(image).allclose(b.Features(image), rtol: 1e-5, atol: 1e-6));
        var error = Assert.Throws<PalmLab.Engine.PalmLabException>(() => a.Features(rand(1, 3, 75, 75)));
        Assert.Contains("multiple of 32, not 75x75", error.Message);
    }

    private sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance * Math.Max(1, Math.Abs(y));

        public int GetHashCode(float obj) => 0;
    }
}
