using PalmLab.Engine.Data;
using PalmLab.Engine.Models;
using PalmLab.Engine.Onnx;
using PalmLab.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace PalmLab.Tests.Support;

/// <summary>Checkpoints of any architecture trained for a few steps on real images, and real images as an exported file takes them.</summary>
public static class OnnxExportModels
{
    /// <summary>
    /// A network of <paramref name="architecture"/> (random weights, seeded) after <paramref name="steps"/> SGD steps of 8 real
    /// images at <paramref name="size"/> px, so its weights and batch-norm statistics are nobody's defaults, saved as a checkpoint.
    /// </summary>
    public static string Train(string folder, ResNetArchitecture architecture, int size, int steps = 3, int seed = 7)
    {
        var files = RealImages(8 * steps + 16, skip: 100);
        torch.manual_seed(seed);
        using var model = new ResNet(architecture);
        model.train();
        using var optimizer = optim.SGD(model.parameters(), 0.01, momentum: 0.9);
        for (var step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var batch = files.Skip(8 * step).Take(8).ToList();
            var images = tensor(batch.SelectMany(f => ImageDecoder.Decode(f, size)).ToArray(), [batch.Count, 3, size, size]);
            var labels = tensor(batch.Select(f => Path.GetFileName(f).StartsWith('P') ? 1f : 0f).ToArray(), [batch.Count, 1]);
            optimizer.zero_grad();
            nn.functional.binary_cross_entropy_with_logits(model.call(images), labels).backward();
            optimizer.step();
        }
        // Running statistics of real images (momentum 1: the last batch's own), so evaluation sees activations of a sane size.
        var norms = model.modules().OfType<TorchSharp.Modules.BatchNorm>().ToList();
        norms.ForEach(n => n.momentum = 1.0);
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            var last = files.Skip(8 * steps).ToList();
            model.call(tensor(last.SelectMany(f => ImageDecoder.Decode(f, size)).ToArray(), [last.Count, 3, size, size]));
        }
        norms.ForEach(n => n.momentum = 0.1);
        model.eval();
        var options = new TrainingOptions { Depth = architecture.Depth, ImageSize = size, Threshold = 0.4 };
        var header = new CheckpointHeader(new TrainingConfig { TrainDir = RepoPaths.RealTrainingImages, Options = options, Device = "cpu" },
            1, steps, null, null, null, DateTimeOffset.UnixEpoch, Architecture: architecture.IsStandard ? null : architecture);
        var path = Path.Combine(folder, $"trained-{Guid.NewGuid():N}.ckpt");
        Checkpoint.Save(path, header, model, null);
        return path;
    }

    /// <summary>Real training images, all three classes mixed (every 7th file after <paramref name="skip"/>, wrapping).</summary>
    public static IReadOnlyList<string> RealImages(int count, int skip = 0)
    {
        var all = Directory.GetFiles(RepoPaths.RequireRealTrainingImages(), "*.jpg").Order(StringComparer.Ordinal).ToArray();
        return Enumerable.Range(0, count).Select(i => all[(skip + 7 * i) % all.Length]).ToList();
    }

    /// <summary>What ONNX Runtime computes from the exported file for <paramref name="files"/>, fed the pixels PalmLab decodes, as 0-255.</summary>
    public static float[] OnnxProbabilities(byte[] onnx, IReadOnlyList<string> files, int size)
    {
        using var session = new OnnxSession(onnx, threads: 2);
        var perImage = 3 * size * size;
        var bytes = new byte[files.Count * perImage];
        for (var i = 0; i < files.Count; i++)
        {
            ImageDecoder.DecodePixelsInto(files[i], size, bytes.AsSpan(i * perImage, perImage));
        }
        return session.Probabilities(bytes.Select(b => (float)b).ToArray(), files.Count);
    }
}
