using PalmLab.Engine.Models;
using PalmLab.Engine.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace PalmLab.Engine.Inference;

/// <summary>
/// Grad-CAM (Selvaraju et al. 2017) for PalmLab's one-logit ResNets: the last stage's activations weighted per channel by
/// the mean gradient of the class's score, summed, ReLU, upsampled bilinearly to the input and divided by the maximum.
/// The one logit is the log-odds of pathologic myopia, so the score of "not pathologic" is the negated logit: its
/// weights are the negated gradients, and its map is the ReLU of the negated weighted sum. One pass gives both maps.
/// </summary>
public static class GradCam
{
    /// <summary>
    /// The logit and the heat maps (size x size, row-major, 0..1) of both classes for one preprocessed image
    /// [1, 3, size, size]: <c>PathologicMap</c> is the evidence that raised the logit, <c>NotPathologicMap</c> the
    /// evidence that lowered it (all zeros when there is none). Runs the network once with the stages under no_grad and differentiates only the head, so the cost is one
    /// inference plus a few small tensor operations. The model is used in eval mode and left as it was.
    /// </summary>
    public static (float Logit, float[] PathologicMap, float[] NotPathologicMap) Compute(ResNet model, Tensor image, Device device)
    {
        if (image.dim() != 4 || image.shape[0] != 1 || image.shape[1] != 3 || image.shape[2] != image.shape[3])
        {
            throw new ArgumentException($"Expected one square image [1, 3, S, S], not [{string.Join(", ", image.shape)}].", nameof(image));
        }
        var size = image.shape[2];
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var scope = NewDisposeScope();
            Tensor features;
            using (no_grad())
            {
                features = model.Features(image.to(device));
            }
            // A leaf of its own: the backward pass stops at the features instead of running through every stage.
            features = features.detach().requires_grad_(true);
            var logit = model.Head(features);
            var gradients = torch.autograd.grad([logit.sum()], [features])[0];
            using var noGrad = no_grad();
            var weights = gradients.mean([2, 3], keepdim: true);
            var sum = (weights * features).sum(1, keepdim: true);
            return (logit.detach().cpu().item<float>(), Map(sum.relu(), size), Map(sum.neg().relu(), size));
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    // Upsampled to the input and divided by its peak; all zeros when nothing is above zero.
    private static float[] Map(Tensor cam, long size)
    {
        cam = nn.functional.interpolate(cam, size: [size, size], mode: InterpolationMode.Bilinear, align_corners: false).flatten().cpu();
        var max = cam.max().item<float>();
        using var peak = max.ToScalar();
        var map = max > 0 ? cam.div(peak).clamp(Scalars.Zero, Scalars.One) : zeros_like(cam);
        return map.data<float>().ToArray();
    }
}
