using PalmLab.Engine.Models;
using PalmLab.Engine.Runtime;
using PalmLab.Engine.Training;
using static TorchSharp.torch;

namespace PalmLab.Engine.Inference;

public sealed partial class Predictor
{
    /// <summary>
    /// The largest change of a logit that bf16 is allowed to have made: an image whose answer at the threshold could
    /// differ by this much is recomputed in fp32. About twice the largest change measured on trained checkpoints over
    /// their own held-out images (0.45 for ResNet-18 fine-tuned at 224 px, 0.19 for a ResNet-50; docs/benchmarks.md,
    /// issue 24: `bench flips`).
    /// </summary>
    public const double Bf16LogitMargin = 1.0;

    /// <summary>
    /// What <see cref="Predict(IReadOnlyList{string}, int, TestTimeAugmentation, CancellationToken)"/> and
    /// <see cref="Probabilities"/> compute in: fp32, or bf16 checked in fp32 near the threshold (<see cref="UseBf16"/>).
    /// </summary>
    public Precision Precision { get; private set; }

    /// <summary>Whether the models run on the CPU, where checked bf16's margin was measured.</summary>
    public bool OnCpu => _device.type == TorchSharp.DeviceType.CPU;

    /// <summary>
    /// From now on batches are predicted in bf16, and every image whose label could have come out differently in fp32
    /// (its probability within what <see cref="Bf16LogitMargin"/> allows of the threshold) is predicted again in fp32:
    /// the same labels as fp32 (to fp32's own rounding: a pass of one batch or less does not fold its batch norms, a longer
    /// one does, which moves a probability by about 1e-6), 1.5-1.8x as fast (bench flips, 224 px). Returns why not, and changes nothing, where the device does
    /// not compute bf16 natively (<see cref="TorchRuntime.PrecisionProblem"/>); null when it does.
    /// </summary>
    public string? UseBf16()
    {
        if (TorchRuntime.PrecisionProblem(Precision.Bf16, _device) is { } problem)
        {
            return problem;
        }
        Precision = Precision.Bf16;
        return null;
    }

    /// <summary>
    /// The ensemble's probabilities (as <see cref="Probabilities"/>) from bf16, with each image whose answer at
    /// <paramref name="threshold"/> the bf16 error could have changed recomputed in fp32 (every member, every view), and
    /// how many were.
    /// </summary>
    public (float[] Probabilities, int Rechecked) CheckedBf16Probabilities(
        Tensor images, int batchSize, TestTimeAugmentation tta, double threshold, CancellationToken cancellationToken = default)
    {
        var count = (int)images.shape[0];
        double[] mean = new double[count], low = new double[count], high = new double[count];
        foreach (var model in _models)
        {
            var views = new List<float[]> { Bf16Logits(model, images, batchSize, cancellationToken) };
            if (tta == TestTimeAugmentation.Flip)
            {
                using var mirrored = images.flip(3);
                views.Add(Bf16Logits(model, mirrored, batchSize, cancellationToken));
            }
            foreach (var logits in views)
            {
                var weight = 1.0 / (views.Count * _models.Count);
                for (var i = 0; i < count; i++)
                {
                    // A member's probability is the mean of its views' sigmoids; the true logit lies within the margin.
                    mean[i] += weight * Sigmoid(logits[i]);
                    low[i] += weight * Sigmoid(logits[i] - Bf16LogitMargin);
                    high[i] += weight * Sigmoid(logits[i] + Bf16LogitMargin);
                }
            }
        }
        var result = mean.Select(p => (float)p).ToArray();
        // The label is p >= threshold: it cannot change while the whole range lies on one side.
        var doubtful = Enumerable.Range(0, count).Where(i => low[i] < threshold && high[i] >= threshold).Select(i => (long)i).ToArray();
        if (doubtful.Length > 0)
        {
            using var index = tensor(doubtful);
            using var subset = images.index_select(0, index);
            var exact = Fp32Probabilities(subset, batchSize, tta, cancellationToken);
            for (var j = 0; j < doubtful.Length; j++)
            {
                result[doubtful[j]] = exact[j];
            }
        }
        return (result, doubtful.Length);
    }

    private float[] Bf16Logits(ResNet model, Tensor images, int batchSize, CancellationToken cancellationToken)
    {
        model.Precision = Precision.Bf16;
        try
        {
            return Evaluator.Logits(model, images, batchSize, _device, cancellationToken);
        }
        finally
        {
            model.Precision = Precision.Fp32;
        }
    }
}
