using PalmLab.Engine.Training;
using static TorchSharp.torch;

namespace PalmLab.Tests.Engine;

public class AugmenterTests
{
    [Fact]
    public void Apply_FlipOnly_MirrorsSomeImagesAndLeavesTheOthers()
    {
        using var scope = NewDisposeScope();
        var images = rand(16, 3, 8, 8) * 2 - 1;
        var options = new TrainingOptions { AugmentFlip = true };

        var output = Augmenter.Apply(images, options, new Random(3));

        var flipped = 0;
        for (var i = 0; i < 16; i++)
        {
            var same = output[i].allclose(images[i], atol: 1e-5);
            var mirrored = output[i].allclose(images[i].flip(2), atol: 1e-5);
            Assert.True(same ^ mirrored, $"image {i} is neither itself nor its mirror");
            flipped += mirrored ? 1 : 0;
        }
        Assert.InRange(flipped, 1, 15);
    }

    [Fact]
    public void Apply_Off_ReturnsTheBatchUntouched()
    {
        using var images = rand(2, 3, 8, 8);

        Assert.Same(images, Augmenter.Apply(images, new TrainingOptions(), new Random(1)));
    }
}
