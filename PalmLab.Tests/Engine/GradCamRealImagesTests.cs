using System.Diagnostics;
using PalmLab.Engine.Data;
using PalmLab.Engine.Inference;
using PalmLab.Engine.Training;
using PalmLab.Tests.Support;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace PalmLab.Tests.Engine;

/// <summary>
/// Grad-CAM explains the class predicted, on real iChallenge-PM photographs: an image called "not pathologic" gets the
/// evidence for that, not the empty map of evidence for pathologic myopia it used to get. Each map is checked against a
/// computation of its own here: the head is global average pooling and one linear logit, so the gradient of the logit
/// with respect to channel c of the last stage is fc.weight[c] / (H W) everywhere, and the map of class 1 is the ReLU of
/// sum_c fc.weight[c] A_c (class 0: of its negation), upsampled bilinearly and divided by its peak.
/// </summary>
public class GradCamRealImagesTests(GradCamRealImagesTests.RealModel model, ITestOutputHelper output) : IClassFixture<GradCamRealImagesTests.RealModel>
{
    [Fact]
    public void Explain_RealImagePredictedNotPathologic_MapsTheEvidenceForNotPathologicAndIsNotFlat()
    {
        var (path, bytes) = model.FirstPredicted(label: 0);

        var explanation = model.Predictor.Explain(bytes, path);

        Assert.Equal(0, explanation.Prediction.Label);
        Assert.Equal(0, explanation.ExplainedLabel);
        Assert.Equal("not pathologic", explanation.ExplainedClass);
        AssertSpread(explanation.HeatMap, $"{Path.GetFileName(path)} ({explanation.Prediction.Probability:F4})");
        AssertClose(model.Independent(bytes, label: 0), explanation.HeatMap);
        Assert.Same(explanation.NotPathologicMap, explanation.HeatMap);
        // The other class's map, as it used to be shown: the evidence for pathologic myopia in an image called not pathologic.
        AssertClose(model.Independent(bytes, label: 1), explanation.PathologicMap);
        output.WriteLine($"{Path.GetFileName(path)}: class-1 map (the old one) {Describe(explanation.PathologicMap)}; class-0 map (shown) {Describe(explanation.HeatMap)}");
    }

    [Fact]
    public void Explain_RealImagePredictedPathologic_MapsTheEvidenceForPathologicAndIsNotFlat()
    {
        var (path, bytes) = model.FirstPredicted(label: 1);

        var explanation = model.Predictor.Explain(bytes, path);

        Assert.Equal(1, explanation.Prediction.Label);
        Assert.Equal(1, explanation.ExplainedLabel);
        Assert.Equal("pathologic myopia", explanation.ExplainedClass);
        AssertSpread(explanation.HeatMap, $"{Path.GetFileName(path)} ({explanation.Prediction.Probability:F4})");
        AssertClose(model.Independent(bytes, label: 1), explanation.HeatMap);
        AssertClose(model.Independent(bytes, label: 0), explanation.NotPathologicMap);
        output.WriteLine($"{Path.GetFileName(path)}: class-1 map (shown) {Describe(explanation.HeatMap)}; class-0 map {Describe(explanation.NotPathologicMap)}");
    }

    [Fact]
    public void Explain_RealImageWithFlip_ExplainsTheClassOfTheAveragedProbability()
    {
        foreach (var label in new[] { 0, 1 })
        {
            var (path, bytes) = model.FirstPredicted(label, TestTimeAugmentation.Flip);

            var explanation = model.Predictor.Explain(bytes, path, TestTimeAugmentation.Flip);

            output.WriteLine($"{Path.GetFileName(path)} with flip: class-{label} map (shown) {Describe(explanation.HeatMap)}");
            Assert.Equal(label, explanation.ExplainedLabel);
            AssertSpread(explanation.HeatMap, $"{Path.GetFileName(path)} with flip ({explanation.Prediction.Probability:F4})");
            // The mean of the image's map and the mirror's map flipped back, each of the class the mean probability decides.
            var own = model.Independent(bytes, label);
            var mirrored = model.Independent(bytes, label, mirror: true);
            var mean = own.Select((v, i) => v + mirrored[i]).ToArray();
            var peak = mean.Max();
            AssertClose(mean.Select(v => v / peak).ToArray(), explanation.HeatMap);
        }
    }

    // Not one flat tint: the peak is 1, and a real share of the image is cool and a real share is warm.
    private static void AssertSpread(float[] map, string image)
    {
        var below = map.Count(v => v < 0.5f) / (double)map.Length;
        var above = map.Count(v => v > 0.1f) / (double)map.Length;
        Assert.True(map.Max() == 1f && below >= 0.1 && above >= 0.1,
            $"{image}: the heat map is flat: max {map.Max():F3}, {below:P0} of pixels below 0.5, {above:P0} above 0.1");
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Select((v, i) => Math.Abs(v - actual[i])).Max();
        Assert.True(worst < 1e-4, $"the map differs from the independent computation by up to {worst:F5}");
    }

    private static string Describe(float[] map) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"max {map.Max():F3}, mean {map.Average():F3}, {map.Count(v => v > 0.1f) / (double)map.Length:P0} above 0.1");

    /// <summary>A ResNet-18 trained briefly on 160 of the real training images at their own 224 px; the others are the ones explained.</summary>
    public sealed class RealModel : IDisposable
    {
        public const int ImageSize = 224;
        private const int PerClass = 80;
        private readonly TempDir _temp = new();
        private readonly List<string> _unseen;
        private readonly string _checkpoint;

        public RealModel(IMessageSink sink)
        {
            var real = RepoPaths.RequireRealTrainingImages();
            var images = Directory.GetFiles(real, "*.jpg").Order(StringComparer.Ordinal).ToList();
            // N (normal) and P (pathologic) only: the first 80 of each to train on, the rest to explain.
            var normal = images.Where(p => Path.GetFileName(p).StartsWith('N')).ToList();
            var pathologic = images.Where(p => Path.GetFileName(p).StartsWith('P')).ToList();
            var train = _temp.Sub("train");
            foreach (var image in normal.Take(PerClass).Concat(pathologic.Take(PerClass)))
            {
                File.Copy(image, Path.Combine(train, Path.GetFileName(image)));
            }
            _unseen = [.. normal.Skip(PerClass).Zip(pathologic.Skip(PerClass)).SelectMany(pair => new[] { pair.First, pair.Second })];
            var clock = Stopwatch.StartNew();
            var config = new TrainingConfig
            {
                TrainDir = train,
                Options = new() { Depth = 18, ImageSize = ImageSize, BatchSize = 16, Epochs = 3, LearningRate = 0.01, Seed = 7, DecaySteps = null },
                Device = "cpu",
            };
            var result = Trainer.Run(config, _temp.Sub("out"));
            _checkpoint = result.LastCheckpoint;
            Predictor = Predictor.Load(_checkpoint, "cpu");
            var unseen = Predictor.Predict(_unseen, batchSize: 16);
            var accuracy = unseen.Count(p => p.Label == (Path.GetFileName(p.Path).StartsWith('P') ? 1 : 0)) / (double)unseen.Count;
            var trained = $"Grad-CAM real-image model: trained in {clock.Elapsed.TotalSeconds:F1} s, accuracy {accuracy:F3} on the {unseen.Count} unseen N and P images";
            sink.OnMessage(new Xunit.Sdk.DiagnosticMessage(trained));
            Console.WriteLine(trained);
            var (net, _) = Checkpoint.LoadModel(_checkpoint, CPU);
            Net = net;
            Net.eval();
        }

        public Predictor Predictor { get; }

        private PalmLab.Engine.Models.ResNet Net { get; }

        /// <summary>The first unseen real image (N and P in turn) the model labels <paramref name="label"/>; fails when there is none.</summary>
        public (string Path, byte[] Bytes) FirstPredicted(int label, TestTimeAugmentation tta = TestTimeAugmentation.None)
        {
            var probabilities = new List<string>();
            foreach (var path in _unseen)
            {
                var bytes = File.ReadAllBytes(path);
                var prediction = Predictor.Predict(bytes, path, tta);
                if (prediction.Label == label)
                {
                    return (path, bytes);
                }
                probabilities.Add($"{Path.GetFileName(path)} {prediction.Probability:F3}");
            }
            Assert.Fail($"No unseen real image is predicted {label} at threshold {Predictor.Threshold}: {string.Join(", ", probabilities)}");
            return default;
        }

        /// <summary>Class <paramref name="label"/>'s Grad-CAM from the one-logit layer's weights, of the image or its mirror flipped back.</summary>
        public float[] Independent(byte[] bytes, int label, bool mirror = false)
        {
            var values = new float[3 * ImageSize * ImageSize];
            ImageDecoder.DecodeInto(bytes, ImageSize, values, "image");
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var image = tensor(values, [1, 3, ImageSize, ImageSize]);
            var features = Net.Features(mirror ? image.flip(3) : image);
            var weight = Net.named_parameters().Single(p => p.name == "fc.weight").parameter;
            var sum = (features * weight.reshape(1, -1, 1, 1)).sum(1, keepdim: true);
            var cam = (label == 1 ? sum : -sum).relu();
            cam = nn.functional.interpolate(cam, size: [ImageSize, ImageSize], mode: InterpolationMode.Bilinear, align_corners: false);
            if (mirror)
            {
                cam = cam.flip(3);
            }
            var map = cam.flatten().data<float>().ToArray();
            var peak = map.Max();
            return peak > 0 ? map.Select(v => v / peak).ToArray() : map;
        }

        public void Dispose()
        {
            Predictor.Dispose();
            Net.Dispose();
            _temp.Dispose();
        }
    }
}
