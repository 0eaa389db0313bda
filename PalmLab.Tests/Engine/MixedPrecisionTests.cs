using PalmLab.Engine;
using PalmLab.Engine.Models;
using PalmLab.Engine.Runtime;
using PalmLab.Engine.Training;
using PalmLab.Tests.Support;
using static TorchSharp.torch;

namespace PalmLab.Tests.Engine;

public class MixedPrecisionTests(TrainingFixture data) : IClassFixture<TrainingFixture>
{
    // Both block kinds, and all three shortcuts (identity, strided projection, ResNet-50's first plain 1x1 projection).
    [Theory]
    [InlineData(18)]
    [InlineData(50)]
    public void Bf16_Forward_GivesFp32LogitsCloseToFp32s(int depth)
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        using var model = new ResNet(depth);
        model.eval();
        var images = randn(4, 3, 64, 64);
        using var noGrad = no_grad();
        var fp32 = model.call(images);

        model.Precision = Precision.Bf16;
        var bf16 = model.call(images);
        Tensor folded;
        using (model.FoldBatchNorms())
        {
            folded = model.call(images);
        }

        Assert.Equal(ScalarType.Float32, bf16.dtype);
        Assert.Equal(ScalarType.Float32, folded.dtype);
        // bfloat16 keeps 8 bits of mantissa: logits agree to a few hundredths, not to fp32's rounding.
        var scale = Math.Max(1, fp32.abs().max().item<float>());
        var difference = (bf16 - fp32).abs().max().item<float>();
        Assert.True(difference < 0.05 * scale, $"bf16 logits differ from fp32 by {difference} (largest logit {scale})");
        Assert.True(difference > 0, "bf16 gave fp32's logits bit for bit: it did not compute in bf16");
        Assert.True((folded - fp32).abs().max().item<float>() < 0.05 * scale, "folded bf16 evaluation is not close to fp32");
    }

    [Fact]
    public void Bf16_TrainingStep_KeepsFp32WeightsAndGivesThemFp32Gradients()
    {
        using var scope = NewDisposeScope();
        manual_seed(12);
        using var model = new ResNet(50) { Precision = Precision.Bf16 };
        using var optimizer = Trainer.CreateOptimizer(model, new TrainingOptions());
        var images = randn(4, 3, 32, 32);
        var labels = tensor(new float[] { 1, 0, 1, 0 });
        var before = model.parameters().Select(p => p.detach().clone()).ToList();

        var loss = Trainer.Step(model, optimizer, images, labels);

        Assert.True(float.IsFinite(loss), $"loss {loss}");
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.grad!.dtype));
        // Every parameter learned, the convolutions' through their bf16 copies included.
        var unchanged = model.named_parameters().Zip(before).Where(p => p.First.parameter.sub(p.Second).abs().max().item<float>() == 0).Select(p => p.First.name).ToList();
        Assert.True(unchanged.Count == 0, $"not updated: {string.Join(", ", unchanged)}");
        Assert.All(model.named_buffers().Where(b => b.name.EndsWith("running_mean", StringComparison.Ordinal)),
            b => Assert.Equal(ScalarType.Float32, b.buffer.dtype));
    }

    [Fact]
    public void Run_InBf16_TrainsAndRecordsThePrecision()
    {
        var config = data.Config.With(o => o with { Precision = Precision.Bf16 });
        var losses = new List<double>();

        var result = Trainer.Run(config, data.NewOutputDir(), new TrainingHooks(b => losses.Add(b.Loss)));

        Assert.Equal(8, losses.Count);
        Assert.All(losses, l => Assert.True(double.IsFinite(l), $"loss {l}"));
        Assert.Equal(Precision.Bf16, Checkpoint.ReadHeader(result.LastCheckpoint).Config.Options.Precision);
        var fp32 = Trainer.Run(data.Config, data.NewOutputDir(), new TrainingHooks(b => losses.Add(b.Loss)));
        Assert.NotEqual(losses[..8], losses[8..]);
        Assert.Equal(Precision.Fp32, Checkpoint.ReadHeader(fp32.LastCheckpoint).Config.Options.Precision);
    }

    [Fact]
    public void Bf16Problem_NamesTheMissingInstructionsAndPassesACpuThatHasThem()
    {
        Assert.Null(TorchRuntime.Bf16Problem(" fpu sse avx512f avx512_bf16 avx512_vnni"));
        Assert.Null(TorchRuntime.Bf16Problem(" fpu amx_bf16 amx_tile"));
        Assert.Equal("Precision bf16 needs a processor with bfloat16 instructions (avx512_bf16 or amx_bf16), and this one has neither: use fp32.",
            TorchRuntime.Bf16Problem(" fpu sse avx2 avx512f avx512_vnni"));
        Assert.Contains("could not be read", TorchRuntime.Bf16Problem(null));
        Assert.Null(TorchRuntime.PrecisionProblem(Precision.Fp32, CPU));
    }

    [Fact]
    public void Presets_BestAndPretrainedTrainInBf16ExactlyWhereTheProcessorHasIt_TheOthersInFp32()
    {
        // Read here apart from TorchRuntime: a development machine has avx512_bf16, so this checks the bf16 branch there and
        // the fp32 fallback on any machine without it, where a bf16 preset would be refused.
        var flags = File.ReadLines("/proc/cpuinfo").First(l => l.StartsWith("flags", StringComparison.Ordinal));
        var expected = flags.Contains(" avx512_bf16", StringComparison.Ordinal) || flags.Contains(" amx_bf16", StringComparison.Ordinal)
            ? Precision.Bf16 : Precision.Fp32;

        Assert.Equal(expected, TorchRuntime.FastestCpuPrecision);
        Assert.Equal((expected, expected), (TrainingPresets.Best.Precision, TrainingPresets.Pretrained.Precision));
        Assert.Equal([Precision.Fp32, Precision.Fp32, Precision.Fp32],
            new[] { TrainingPresets.Reference, TrainingPresets.Quick, TrainingPresets.Deeper }.Select(p => p.Precision));
        Assert.Null(TorchRuntime.PrecisionProblem(TrainingPresets.Best.Precision, CPU));
    }

    [Fact]
    public void PrecisionOption_ParsesFp32AndBf16AndRefusesOthers()
    {
        var option = TrainingOption.Find(nameof(TrainingOptions.Precision))!;
        Assert.Equal("precision", option.CliName);

        Assert.True(option.TryConvert("bf16", out var value, out _));
        Assert.Equal(Precision.Bf16, value);
        Assert.False(option.TryConvert("fp16", out _, out var error));
        Assert.Equal("must be one of fp32, bf16, not 'fp16'", error);
        Assert.Equal(Precision.Fp32, new TrainingOptions().Precision);
        Assert.Contains("\"precision\":\"bf16\"", System.Text.Json.JsonSerializer.Serialize(new TrainingOptions { Precision = Precision.Bf16 }, PalmLab.Engine.Jobs.JobJson.Options));
    }
}
