using PalmLab.Engine.Data;
using static TorchSharp.torch;

namespace PalmLab.Engine.Inference;

public sealed partial class Predictor
{
    /// <summary>
    /// Prediction plus Grad-CAM for one image held in memory (same preprocessing as training: the checkpoint's image size,
    /// [-1, 1]); throws <see cref="PalmLabException"/> (a clear message naming <paramref name="name"/>) when the image is
    /// unusable. Not thread-safe (TorchSharp modules are not): callers serialise per Predictor.
    /// </summary>
    public Explanation Explain(byte[] imageBytes, string name)
    {
        var values = new float[3 * ImageSize * ImageSize];
        ImageDecoder.DecodeInto(imageBytes, ImageSize, values, name);
        using var image = tensor(values, [1, 3, ImageSize, ImageSize]);
        var (logit, heatMap) = GradCam.Compute(_model, image, _device);
        var probability = 1 / (1 + MathF.Exp(-logit));
        return new Explanation(new Prediction(name, probability, probability >= Threshold ? 1 : 0), heatMap, ImageSize);
    }
}
