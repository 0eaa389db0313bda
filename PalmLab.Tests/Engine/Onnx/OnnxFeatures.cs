using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using PalmLab.Engine.Models;
using static TorchSharp.torch;

namespace PalmLab.Tests.Engine.Onnx;

/// <summary>The pooled features of a network two ways: ONNX Runtime on the file, PalmLab's imported module; and their gap.</summary>
internal static class OnnxFeatures
{
    /// <summary>ONNX Runtime's output <paramref name="output"/> of the model for an NCHW input.</summary>
    public static float[] OnnxRuntime(byte[] model, float[] input, int[] shape, string? output = null)
    {
        using var session = new InferenceSession(model);
        var inputName = session.InputMetadata.Keys.Single();
        var tensor = new DenseTensor<float>(input, shape);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(inputName, tensor)], [output ?? session.OutputMetadata.Keys.First()]);
        return results.Single().AsEnumerable<float>().ToArray();
    }

    /// <summary>
    /// The imported network's global-average-pooled last stage (what precedes its fc) for an input given straight to its
    /// first layer: the module must have no input transform, so it computes what the ONNX graph computes.
    /// </summary>
    public static float[] PalmLab(ResNet model, float[] input, long[] shape)
    {
        Assert.Null(model.Architecture.Input);
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return model.Features(tensor(input, shape)).mean([2, 3]).data<float>().ToArray();
    }

    /// <summary>The largest |a - b| relative to the largest |b|.</summary>
    public static double MaxRelative(float[] ours, float[] reference) =>
        ours.Zip(reference, (a, b) => Math.Abs((double)a - b)).Max() / reference.Max(v => Math.Abs((double)v));

    /// <summary>Asserts max |a - b| &lt;= 1e-4 max |b|, and per element |a - b| &lt;= 1e-4 |b| + 1e-5 max |b|; returns the first.</summary>
    public static double AssertClose(float[] ours, float[] reference)
    {
        Assert.Equal(reference.Length, ours.Length);
        var scale = reference.Max(v => Math.Abs((double)v));
        Assert.True(scale > 0, "the reference features are all zero: the comparison would prove nothing");
        var relative = MaxRelative(ours, reference);
        Assert.True(relative <= 1e-4, $"max |PalmLab - ORT| is {relative:E2} of max |ORT| ({scale:G4}), over 1e-4");
        for (var i = 0; i < ours.Length; i++)
        {
            var gap = Math.Abs((double)ours[i] - reference[i]);
            Assert.True(gap <= 1e-4 * Math.Abs(reference[i]) + 1e-5 * scale, $"feature {i}: PalmLab {ours[i]} vs ORT {reference[i]}");
        }
        return relative;
    }

    /// <summary>Uniform values in [lo, hi) from a seeded generator.</summary>
    public static float[] Random(int count, int seed, float lo, float hi)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => lo + (hi - lo) * random.NextSingle())];
    }
}
