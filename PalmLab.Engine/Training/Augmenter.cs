using PalmLab.Engine.Runtime;
using static TorchSharp.torch;

namespace PalmLab.Engine.Training;

/// <summary>Random horizontal flips and small rotations of a batch, drawn from a seeded generator.</summary>
public static class Augmenter
{
    /// <summary>Returns the augmented batch (or <paramref name="images"/> itself when augmentation is off).</summary>
    public static Tensor Apply(Tensor images, TrainingOptions options, Random random)
    {
        if (!options.AugmentFlip && options.AugmentRotation <= 0)
        {
            return images;
        }
        var n = (int)images.shape[0];
        var theta = new float[n * 6];
        for (var i = 0; i < n; i++)
        {
            var flip = options.AugmentFlip && random.NextDouble() < 0.5 ? -1f : 1f;
            var angle = (random.NextDouble() * 2 - 1) * options.AugmentRotation * Math.PI / 180;
            float cos = (float)Math.Cos(angle), sin = (float)Math.Sin(angle);
            // Rotation after a flip of x: [[cos, -sin], [sin, cos]] * [[flip, 0], [0, 1]].
            theta[i * 6 + 0] = cos * flip;
            theta[i * 6 + 1] = -sin;
            theta[i * 6 + 3] = sin * flip;
            theta[i * 6 + 4] = cos;
        }
        // Out-of-image pixels take the value -1, the black surround of a fundus photograph.
        using var affine = tensor(theta, [n, 2, 3]).to(images.device);
        using var grid = nn.functional.affine_grid(affine, images.shape, align_corners: false);
        using var shifted = images.add(Scalars.One, Scalars.One);
        using var sampled = nn.functional.grid_sample(shifted, grid, align_corners: false);
        return sampled.sub(Scalars.One);
    }
}
