using Microsoft.ML.OnnxRuntime;

namespace PalmLab.Engine.Onnx;

/// <summary>
/// An exported model (<see cref="OnnxExporter"/>) running in ONNX Runtime on the CPU: probabilities for batches of
/// 0-255 RGB pixels. One caller at a time.
/// </summary>
public sealed class OnnxSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();

    /// <summary>Opens the ONNX file held in <paramref name="onnx"/> with <paramref name="threads"/> intra-op threads (0: one per core).</summary>
    public OnnxSession(byte[] onnx, int threads = 0)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads > 0 ? threads : Environment.ProcessorCount,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(onnx, options);
        var size = _session.InputMetadata[OnnxExporter.InputName].Dimensions[^1];
        ImageSize = size > 0 ? size : throw new PalmLabException("The ONNX file does not fix its image size.");
    }

    /// <summary>The side of the square images the file takes.</summary>
    public int ImageSize { get; }

    /// <summary>The file's metadata (<see cref="OnnxExporter.ImageSizeKey"/> and the others).</summary>
    public IReadOnlyDictionary<string, string> Metadata => _session.ModelMetadata.CustomMetadataMap;

    /// <summary>The probability for each of <paramref name="count"/> images in <paramref name="pixels"/>: [count, 3, S, S], RGB 0-255.</summary>
    public float[] Probabilities(float[] pixels, int count)
    {
        var perImage = 3 * ImageSize * ImageSize;
        if (pixels.Length != (long)count * perImage)
        {
            throw new ArgumentException($"{pixels.Length} values are not {count} images of 3x{ImageSize}x{ImageSize}.", nameof(pixels));
        }
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [count, 3, ImageSize, ImageSize]);
        using var outputs = _session.Run(_run, [OnnxExporter.InputName], [input], [OnnxExporter.OutputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public void Dispose()
    {
        _session.Dispose();
        _run.Dispose();
    }
}
