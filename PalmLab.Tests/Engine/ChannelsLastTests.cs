using PalmLab.Engine.Models;
using PalmLab.Engine.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace PalmLab.Tests.Engine;

public class ChannelsLastTests
{
    [Fact]
    public void ChannelsLastProblem_PassesAProcessorThatReportsItsCaches_AndNamesOneThatDoesNot()
    {
        const string amd = "AuthenticAMD", intel = "GenuineIntel", flags = " fpu avx512f avx512_bf16 topoext";
        Dictionary<int, long> caches = new() { [1] = 32 << 10, [2] = 1 << 20, [3] = 32 << 20 };
        Assert.Null(TorchRuntime.ChannelsLastProblem(caches, amd, flags));
        Assert.Null(TorchRuntime.ChannelsLastProblem(new Dictionary<int, long> { [1] = 48 << 10, [2] = 2 << 20 }, intel, " fpu avx512f"));
        Assert.Equal("This processor reports no level-1 and level-2 cache sizes, which oneDNN's channels-last kernels are sized by: convolutions run channels-first.",
            TorchRuntime.ChannelsLastProblem(new Dictionary<int, long>(), amd, flags));
        Assert.NotNull(TorchRuntime.ChannelsLastProblem(new Dictionary<int, long> { [1] = 32 << 10, [2] = 0, [3] = 32 << 20 }, amd, flags));
        Assert.Contains("does not tell its cache sizes", TorchRuntime.ChannelsLastProblem(null, amd, flags));
        Assert.Equal("This AMD processor lacks topoext, the CPUID leaf oneDNN reads its cache sizes from: convolutions run channels-first.",
            TorchRuntime.ChannelsLastProblem(caches, amd, " fpu avx512f avx512_bf16"));
        Assert.NotNull(TorchRuntime.ChannelsLastProblem(caches, amd, null));
        Assert.Equal([32L << 10, 1L << 20, 32L << 20, 0, 0, 0, 0], new[] { "32K\n", "1024K", "32M", "0", "", "K", "-1K" }.Select(TorchRuntime.ParseCacheSize));
    }

    [Fact]
    public void ANewNetwork_RunsChannelsLastExactlyWhereThisMachineReportsItsCaches()
    {
        // Read here apart from TorchRuntime, as a user would look: the development machines report their caches (and
        // have topoext), so this checks the channels-last branch there and the channels-first fallback elsewhere.
        var levels = Directory.Exists("/sys/devices/system/cpu/cpu0/cache")
            ? Directory.EnumerateDirectories("/sys/devices/system/cpu/cpu0/cache", "index*")
                .Where(d => File.ReadAllText(Path.Combine(d, "type")).Trim() != "Instruction" && File.ReadAllText(Path.Combine(d, "size")).Trim() is not ("" or "0"))
                .Select(d => File.ReadAllText(Path.Combine(d, "level")).Trim()).ToHashSet()
            : [];
        var cpuinfo = File.ReadAllLines("/proc/cpuinfo");
        var amd = cpuinfo.First(l => l.StartsWith("vendor_id", StringComparison.Ordinal)).EndsWith("AuthenticAMD", StringComparison.Ordinal);
        var topoext = cpuinfo.First(l => l.StartsWith("flags", StringComparison.Ordinal)).Split(' ').Contains("topoext");
        var expected = levels.Contains("1") && levels.Contains("2") && (!amd || topoext);
        using var scope = NewDisposeScope();
        using var model = new ResNet(18);
        model.eval();
        using var noGrad = no_grad();

        // 16 images of 128x128 pixels, the smallest batch that runs channels-last by default.
        var features = model.Features(randn(16, 3, 128, 128));
        var fewerPixels = model.Features(randn(16, 3, 128, 96));
        // One image: its stem alone runs channels-last.
        var stem = model.Stem(randn(1, 3, 64, 64));

        Assert.Equal(expected, model.ChannelsLast);
        Assert.Equal(expected, TorchRuntime.ChannelsLastByDefault);
        // [16, 512, 4, 4]: channels-last strides are (8192, 1, 2048, 512), channels-first (8192, 16, 4, 1).
        Assert.Equal(expected ? [8192L, 1, 2048, 512] : [8192L, 16, 4, 1], features.stride());
        Assert.Equal([6144L, 12, 3, 1], fewerPixels.stride());
        // [1, 64, 16, 16]
        Assert.Equal(expected ? [16384L, 1, 1024, 64] : [16384L, 256, 16, 1], stem.stride());
    }

    // Both block kinds and all three shortcuts (identity, strided projection, ResNet-50's stride-1 1x1 projection), and
    // the shape of the ImageNet ResNet-18 PalmLab imports (CNTK's short-end padding, a third block in the last stage, an
    // input transform), in both precisions, channels-last throughout and in the stem only (a small batch): logits in
    // evaluation (batch norms as trained and folded) and in training mode, and the gradients.
    public static TheoryData<string, Precision, bool> Networks()
    {
        var data = new TheoryData<string, Precision, bool>();
        foreach (var throughout in new[] { true, false })
        {
            foreach (var precision in new[] { Precision.Fp32, Precision.Bf16 })
            {
                foreach (var network in new[] { "18", "50", "imagenet-18" })
                {
                    data.Add(network, precision, throughout);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void ChannelsLast_GivesChannelsFirstsLogitsAndGradients_WhereTheProcessorAllowsIt(string network, Precision precision, bool throughout)
    {
        var architecture = network == "imagenet-18"
            ? ResNetArchitecture.Standard(18) with
            {
                Blocks = [2, 2, 2, 3], ShortEndPadding = true, Input = new InputTransform([2, 1, 0], [127.5f, 127.5f, 127.5f], [23.5f, 10.2f, 3.9f]),
            }
            : ResNetArchitecture.Standard(int.Parse(network, System.Globalization.CultureInfo.InvariantCulture));
        if (!TorchRuntime.ChannelsLastByDefault)
        {
            // On a VM that hides its caches oneDNN's channels-last kernels fault or compute wrongly: this machine never
            // runs them (the test above checks that it does not), so there is nothing here to compare.
            using var channelsFirst = new ResNet(architecture);
            Assert.False(channelsFirst.ChannelsLast);
            return;
        }
        using var scope = NewDisposeScope();
        manual_seed(21);
        using var model = new ResNet(architecture) { ChannelsLastMinPixels = throughout ? 0 : long.MaxValue };
        var images = randn(4, 3, 64, 64);
        var fp32Logits = Logits(model, channelsLast: false, images);
        var fp32 = Gradients(model, channelsLast: false, images);
        model.Precision = precision;

        var first = Logits(model, channelsLast: false, images);
        var last = Logits(model, channelsLast: true, images);
        var firstGradients = Gradients(model, channelsLast: false, images);
        var lastGradients = Gradients(model, channelsLast: true, images);

        // Both measured against fp32 channels-first: in fp32 channels-last must agree to float rounding. bf16 rounds every
        // layer's output to 8 bits, which moves training-mode logits by several hundredths and some gradients by a third
        // of their norm; channels-last may round otherwise but not compute something else (two unrelated gradients are
        // about 1.4 of their norm apart), so it may be at most twice as far from fp32 as channels-first is, and a little.
        string[] modes = ["evaluation", "folded evaluation", "training-mode"];
        for (var i = 0; i < modes.Length; i++)
        {
            var scale = fp32Logits[i].abs().max().item<float>();
            var allowed = precision == Precision.Fp32 ? 1e-4 * scale : 2 * (first[i] - fp32Logits[i]).abs().max().item<float>() + 0.01 * scale;
            var difference = (last[i] - fp32Logits[i]).abs().max().item<float>();
            Assert.True(difference <= allowed, $"{modes[i]} logits: channels-last {precision} differs from fp32 channels-first by {difference}, over {allowed} (largest {scale})");
        }
        for (var i = 0; i < fp32.Count; i++)
        {
            var (name, reference) = fp32[i];
            var allowed = precision == Precision.Fp32 ? 1e-4 : 2 * Distance(firstGradients[i].Gradient, reference) + 0.01;
            var distance = Distance(lastGradients[i].Gradient, reference);
            Assert.True(distance <= allowed, $"the gradient of {name}: channels-last {precision} is {distance:G3} of its norm from fp32 channels-first's, over {allowed:G3}");
        }
    }

    // Logits in evaluation mode, with batch norms folded, and in training mode (batch statistics), without learning.
    private static Tensor[] Logits(ResNet model, bool channelsLast, Tensor images)
    {
        model.ChannelsLast = channelsLast;
        model.eval();
        using var noGrad = no_grad();
        var features = model.Features(images);
        Assert.Equal(channelsLast && model.ChannelsLastMinPixels == 0 ? 1 : features.shape[2] * features.shape[3], features.stride(1));
        var stem = model.Stem(images);
        Assert.Equal(channelsLast ? 1 : stem.shape[2] * stem.shape[3], stem.stride(1));
        var logits = model.call(images);
        Tensor folded;
        using (model.FoldBatchNorms())
        {
            folded = model.call(images);
        }
        // A training pass moves the running statistics: put them back after it.
        var statistics = model.named_buffers().Select(b => b.buffer.clone()).ToList();
        model.train();
        var training = model.call(images);
        foreach (var (buffer, saved) in model.named_buffers().Zip(statistics))
        {
            buffer.buffer.copy_(saved);
        }
        return [logits, folded, training];
    }

    // The gradients of every parameter for a fixed random output gradient, in evaluation mode: training mode's batch
    // statistics amplify float rounding at random weights (1-4% between fp32 and fp64, either layout), hiding errors.
    private static List<(string Name, Tensor Gradient)> Gradients(ResNet model, bool channelsLast, Tensor images)
    {
        model.ChannelsLast = channelsLast;
        model.eval();
        model.zero_grad();
        var logits = model.call(images);
        logits.mul(linspace(-1, 1, logits.shape[0]).reshape(-1, 1)).sum().backward();
        return [.. model.named_parameters().Select(p => (p.name, p.parameter.grad!.clone()))];
    }

    private static double Distance(Tensor gradient, Tensor reference) =>
        (gradient - reference).norm().item<float>() / Math.Max(reference.norm().item<float>(), 1e-12);
}
