using PalmLab.Engine.Data;
using PalmLab.Engine.Models;
using PalmLab.Engine.Runtime;
using PalmLab.Engine.Training;
using static TorchSharp.torch;

namespace PalmLab.Engine.Inference;

/// <summary>
/// One trained model, or an ensemble of several, loaded from checkpoints, predicting with the checkpoints' own
/// preprocessing (image size) and threshold. An ensemble's probability is the mean of its members' probabilities (not
/// of their logits: each member is a calibrated classifier, and a mean of probabilities stays one, where one very sure
/// member would dominate a mean of logits); each image is decoded once for all members. Test-time flip averages, per
/// member, the probabilities of the image and of its horizontal mirror.
/// </summary>
public sealed partial class Predictor : IDisposable
{
    private readonly IReadOnlyList<ResNet> _models;
    private readonly Device _device;

    private Predictor(IReadOnlyList<ResNet> models, IReadOnlyList<PredictorMember> members, Device device)
    {
        _models = models;
        Members = members;
        _device = device;
    }

    /// <summary>The checkpoints averaged, in the order given (one for a single model).</summary>
    public IReadOnlyList<PredictorMember> Members { get; }

    /// <summary>The first member's header (an ensemble's members share the image size; cross-validation folds share every option).</summary>
    public CheckpointHeader Header => Members[0].Header;

    public int ImageSize => Header.Config.Options.ImageSize;

    /// <summary>The first member's threshold (the folds of a cross-validation share theirs).</summary>
    public double Threshold => Header.Config.Options.Threshold;

    /// <summary>Loads a checkpoint for prediction on "auto", "cpu" or "cuda".</summary>
    public static Predictor Load(string checkpointPath, string device = "auto", int threads = 0) => Load([checkpointPath], device, threads);

    /// <summary>
    /// Loads checkpoints as one ensemble. Refused (<see cref="PalmLabException"/>, naming both files) when two take
    /// different image sizes; their depths may differ.
    /// </summary>
    public static Predictor Load(IReadOnlyList<string> checkpointPaths, string device = "auto", int threads = 0)
    {
        if (checkpointPaths.Count == 0)
        {
            throw new PalmLabException("An ensemble needs at least one checkpoint.");
        }
        // Headers first: a mismatch is found before any weights are read.
        var headers = checkpointPaths.Select(Checkpoint.ReadHeader).ToList();
        var size = headers[0].Config.Options.ImageSize;
        if (headers.Select((h, i) => (h, i)).FirstOrDefault(x => x.h.Config.Options.ImageSize != size) is { h: not null } other)
        {
            throw new PalmLabException(
                $"{checkpointPaths[0]} takes {size} px images but {checkpointPaths[other.i]} takes {other.h.Config.Options.ImageSize} px: " +
                "the models of an ensemble must share one image size.");
        }
        var target = TorchRuntime.Initialize(device, threads);
        var models = new List<ResNet>();
        try
        {
            foreach (var path in checkpointPaths)
            {
                models.Add(Checkpoint.LoadModel(path, target).Model);
            }
        }
        catch
        {
            models.ForEach(m => m.Dispose());
            throw;
        }
        return new Predictor(models, checkpointPaths.Select((p, i) => new PredictorMember(p, headers[i])).ToList(), target);
    }

    /// <summary>Files to predict: each file as given, and the images directly inside each folder (sorted).</summary>
    public static IReadOnlyList<string> ExpandInputs(IEnumerable<string> filesOrFolders)
    {
        var paths = new List<string>();
        foreach (var input in filesOrFolders)
        {
            if (Directory.Exists(input))
            {
                paths.AddRange(DatasetReader.ListImages(input).Files);
            }
            else if (File.Exists(input))
            {
                paths.Add(input);
            }
            else
            {
                throw new PalmLabException($"{input} is neither a file nor a folder.");
            }
        }
        return paths;
    }

    /// <summary>
    /// The most bytes of decoded images <see cref="Predict(IReadOnlyList{string}, int, TestTimeAugmentation, CancellationToken)"/>
    /// holds at once, as whole batches (at least one): 64 MiB, 96 images (6 batches of 16) at 224 px.
    /// </summary>
    public long MaxDecodedBytes { get; set; } = 64L << 20;

    /// <summary>
    /// Predicts every file; a file that cannot be decoded gets an <see cref="Prediction.Error"/> and the rest go on. Files
    /// are decoded a few batches at a time (up to <see cref="MaxDecodedBytes"/>), so that each such pass folds the batch
    /// norms (and casts the weights to bf16) once for all its batches.
    /// </summary>
    public IReadOnlyList<Prediction> Predict(
        IReadOnlyList<string> paths, int batchSize = 16, TestTimeAugmentation tta = TestTimeAugmentation.None, CancellationToken cancellationToken = default)
    {
        var perImage = 3 * ImageSize * ImageSize;
        var results = new Prediction[paths.Count];
        var perPass = (int)Math.Clamp(MaxDecodedBytes / (sizeof(float) * (long)perImage * batchSize), 1, int.MaxValue / batchSize) * batchSize;
        for (var start = 0; start < paths.Count; start += perPass)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(perPass, paths.Count - start);
            var values = new float[count * perImage];
            var decoded = new bool[count];
            Parallel.For(0, count, i =>
            {
                try
                {
                    ImageDecoder.DecodeInto(paths[start + i], ImageSize, values.AsSpan(i * perImage, perImage));
                    decoded[i] = true;
                }
                catch (PalmLabException e)
                {
                    results[start + i] = new Prediction(paths[start + i], null, null, e.Message);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // A decoder fault the checks did not foresee must cost this file, not the whole batch.
                    results[start + i] = new Prediction(paths[start + i], null, null, $"{paths[start + i]}: not a readable image ({e.GetType().Name}: {e.Message}).");
                }
            });
            // Only the images that decoded are predicted: a failed file's blank slot would cost a prediction (and, in
            // checked bf16, perhaps an fp32 one) for nothing.
            var usable = Enumerable.Range(0, count).Where(i => decoded[i]).ToArray();
            if (usable.Length == 0)
            {
                continue;
            }
            using var all = tensor(values, [count, 3, ImageSize, ImageSize]);
            using var index = usable.Length == count ? null : tensor(usable.Select(i => (long)i).ToArray());
            using var images = index is null ? all.alias() : all.index_select(0, index);
            var probabilities = Probabilities(images, batchSize, tta, cancellationToken);
            for (var j = 0; j < usable.Length; j++)
            {
                var i = usable[j];
                results[start + i] = new Prediction(paths[start + i], probabilities[j], probabilities[j] >= Threshold ? 1 : 0);
            }
        }
        return results;
    }

    /// <summary>Predicts one image held in memory (an upload; through ONNX Runtime after <see cref="UseOnnxRuntime"/>); throws <see cref="PalmLabException"/> when it is not a usable image.</summary>
    public Prediction Predict(byte[] imageBytes, string name, TestTimeAugmentation tta = TestTimeAugmentation.None)
    {
        if (_sessions is { } sessions)
        {
            var fast = OnnxProbability(sessions, imageBytes, name, tta);
            return new Prediction(name, fast, fast >= Threshold ? 1 : 0);
        }
        var values = new float[3 * ImageSize * ImageSize];
        ImageDecoder.DecodeInto(imageBytes, ImageSize, values, name);
        using var images = tensor(values, [1, 3, ImageSize, ImageSize]);
        var probability = Probabilities(images, 1, tta)[0];
        return new Prediction(name, probability, probability >= Threshold ? 1 : 0);
    }

    /// <summary>
    /// The ensemble's probability for each image of a CPU tensor [N, 3, S, S]: the mean over the members of each member's
    /// probability (with <see cref="TestTimeAugmentation.Flip"/>, its mean over the image and its mirror). In fp32, or
    /// after <see cref="UseBf16"/> in bf16 checked in fp32 near the threshold (<see cref="CheckedBf16Probabilities"/>).
    /// </summary>
    public float[] Probabilities(Tensor images, int batchSize, TestTimeAugmentation tta, CancellationToken cancellationToken = default) =>
        Precision == Precision.Bf16
            ? CheckedBf16Probabilities(images, batchSize, tta, Threshold, cancellationToken).Probabilities
            : Fp32Probabilities(images, batchSize, tta, cancellationToken);

    private float[] Fp32Probabilities(Tensor images, int batchSize, TestTimeAugmentation tta, CancellationToken cancellationToken)
    {
        var sum = new double[images.shape[0]];
        foreach (var model in _models)
        {
            var probabilities = MemberProbabilities(model, images, batchSize, tta, cancellationToken);
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] += probabilities[i];
            }
        }
        return sum.Select(s => (float)(s / _models.Count)).ToArray();
    }

    public void Dispose()
    {
        DisposeSessions();
        foreach (var model in _models)
        {
            model.Dispose();
        }
    }

    private float[] MemberProbabilities(ResNet model, Tensor images, int batchSize, TestTimeAugmentation tta, CancellationToken cancellationToken)
    {
        var plain = Evaluator.Probabilities(model, images, batchSize, _device, cancellationToken);
        if (tta == TestTimeAugmentation.None)
        {
            return plain;
        }
        using var mirrored = images.flip(3);
        var flipped = Evaluator.Probabilities(model, mirrored, batchSize, _device, cancellationToken);
        return plain.Select((p, i) => (p + flipped[i]) / 2).ToArray();
    }
}
