using PalmLab.Engine.Data;
using PalmLab.Engine.Models;
using PalmLab.Engine.Runtime;
using PalmLab.Engine.Training;
using static TorchSharp.torch;

namespace PalmLab.Engine.Inference;

/// <summary>
/// A trained model loaded from a checkpoint, predicting with the checkpoint's own preprocessing (image size) and threshold.
/// </summary>
public sealed partial class Predictor : IDisposable
{
    private readonly ResNet _model;
    private readonly Device _device;

    private Predictor(ResNet model, CheckpointHeader header, Device device)
    {
        _model = model;
        Header = header;
        _device = device;
    }

    public CheckpointHeader Header { get; }

    public int ImageSize => Header.Config.Options.ImageSize;

    public double Threshold => Header.Config.Options.Threshold;

    /// <summary>Loads a checkpoint for prediction on "auto", "cpu" or "cuda".</summary>
    public static Predictor Load(string checkpointPath, string device = "auto", int threads = 0)
    {
        var target = TorchRuntime.Initialize(device, threads);
        var (model, header) = Checkpoint.LoadModel(checkpointPath, target);
        return new Predictor(model, header, target);
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

    /// <summary>Predicts every file; a file that cannot be decoded gets an <see cref="Prediction.Error"/> and the rest go on.</summary>
    public IReadOnlyList<Prediction> Predict(IReadOnlyList<string> paths, int batchSize = 16, CancellationToken cancellationToken = default)
    {
        var perImage = 3 * ImageSize * ImageSize;
        var results = new Prediction[paths.Count];
        for (var start = 0; start < paths.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(batchSize, paths.Count - start);
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
            using var images = tensor(values, [count, 3, ImageSize, ImageSize]);
            var probabilities = Evaluator.Probabilities(_model, images, batchSize, _device, cancellationToken);
            for (var i = 0; i < count; i++)
            {
                if (decoded[i])
                {
                    results[start + i] = new Prediction(paths[start + i], probabilities[i], probabilities[i] >= Threshold ? 1 : 0);
                }
            }
        }
        return results;
    }

    /// <summary>Predicts one image held in memory (an upload); throws <see cref="PalmLabException"/> when it is not a usable image.</summary>
    public Prediction Predict(byte[] imageBytes, string name)
    {
        var values = new float[3 * ImageSize * ImageSize];
        ImageDecoder.DecodeInto(imageBytes, ImageSize, values, name);
        using var images = tensor(values, [1, 3, ImageSize, ImageSize]);
        var probability = Evaluator.Probabilities(_model, images, 1, _device)[0];
        return new Prediction(name, probability, probability >= Threshold ? 1 : 0);
    }

    public void Dispose() => _model.Dispose();
}
