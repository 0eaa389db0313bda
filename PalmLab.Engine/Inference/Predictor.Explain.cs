using PalmLab.Engine.Data;
using static TorchSharp.torch;

namespace PalmLab.Engine.Inference;

public sealed partial class Predictor
{
    /// <summary>
    /// Prediction plus Grad-CAM for one image held in memory (same preprocessing as training: the checkpoint's image size,
    /// [-1, 1]); throws <see cref="PalmLabException"/> (a clear message naming <paramref name="name"/>) when the image is
    /// unusable. The probability is the one <see cref="Predict(byte[], string, TestTimeAugmentation)"/> gives, and the
    /// label, at <see cref="Threshold"/>, decides the class <see cref="Explanation.HeatMap"/> explains: an image called
    /// "not pathologic" gets the evidence for that, not an empty map of evidence for pathologic myopia. Each class's map
    /// of an ensemble is the mean of its members' maps of that class (the class is the ensemble's, decided by the mean
    /// probability, not each member's), and with test-time flip each member's map is the mean of the image's map and the
    /// mirrored image's map mirrored back; the mean is scaled so its peak is 1, as a single map is. Both classes' maps
    /// come from one Grad-CAM pass per model and view.
    /// Not thread-safe (TorchSharp modules are not): callers serialise per Predictor.
    /// </summary>
    public Explanation Explain(byte[] imageBytes, string name, TestTimeAugmentation tta = TestTimeAugmentation.None)
    {
        var values = new float[3 * ImageSize * ImageSize];
        ImageDecoder.DecodeInto(imageBytes, ImageSize, values, name);
        using var image = tensor(values, [1, 3, ImageSize, ImageSize]);
        using var mirrored = tta == TestTimeAugmentation.Flip ? image.flip(3) : null;
        var pathologic = new float[ImageSize * ImageSize];
        var notPathologic = new float[ImageSize * ImageSize];
        var probability = 0.0;
        var views = 0;
        foreach (var model in _models)
        {
            foreach (var view in (Tensor?[])[image, mirrored])
            {
                if (view is null)
                {
                    continue;
                }
                var (logit, pathologicMap, notPathologicMap) = GradCam.Compute(model, view, _device);
                var mirror = !ReferenceEquals(view, image);
                Add(pathologic, pathologicMap, mirror);
                Add(notPathologic, notPathologicMap, mirror);
                probability += Sigmoid(logit);
                views++;
            }
        }
        var p = (float)(probability / views);
        return new Explanation(new Prediction(name, p, p >= Threshold ? 1 : 0), ImageSize, Normalise(pathologic), Normalise(notPathologic));
    }

    private static double Sigmoid(double logit) => 1 / (1 + Math.Exp(-logit));

    private void Add(float[] sum, float[] map, bool mirror)
    {
        var size = ImageSize;
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                sum[y * size + x] += map[y * size + (mirror ? size - 1 - x : x)];
            }
        }
    }

    private static float[] Normalise(float[] map)
    {
        var max = map.Max();
        return max > 0 ? map.Select(v => Math.Clamp(v / max, 0, 1)).ToArray() : map;
    }
}
