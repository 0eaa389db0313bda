using PalmLab.Engine.Data;
using PalmLab.Engine.Training;
using Xunit.Abstractions;

namespace PalmLab.Tests.Engine;

/// <summary>The synthetic set must be learnable by the quick recipe, yet not by the mean colour of an image.</summary>
public class SyntheticLearnabilityTests(SyntheticSetFixture data, ITestOutputHelper output) : IClassFixture<SyntheticSetFixture>
{
    [Fact]
    public void ResNet18At64px_GeneratedSet_ReachesNinetyPercentValidationAccuracyInFiveEpochs()
    {
        var config = new TrainingConfig
        {
            TrainDir = data.Set.TrainDir,
            ValidDir = data.Set.ValidDir,
            LabelsPath = data.Set.LabelsXlsxPath,
            Options = new() { Depth = 18, ImageSize = 64, BatchSize = 16, Epochs = 5 },
            Device = "cpu",
        };

        var result = Trainer.Run(config, data.NewOutputDir());

        foreach (var epoch in result.Epochs)
        {
            output.WriteLine($"epoch {epoch.Epoch}: validation accuracy {epoch.Validation!.Accuracy:F3}, AUC {epoch.Validation.Auc:F3}");
        }
        var final = result.Epochs[^1].Validation!;
        Assert.Equal(200, final.Count);
        Assert.True(final.Accuracy >= 0.9, $"validation accuracy after 5 epochs {final.Accuracy:F3}");
    }

    [Fact]
    public void MeanColourClassifiers_GeneratedSet_StayBelowSeventyPercentValidationAccuracy()
    {
        var train = MeanColours(DatasetReader.ReadTrainingFolder(data.Set.TrainDir).Images);
        var valid = MeanColours(DatasetReader.ReadValidationFolder(data.Set.ValidDir, data.Set.LabelsCsvPath).Images);

        var logistic = FitLogistic(train);
        var centroids = (Zero: Centroid(train, 0), One: Centroid(train, 1));
        var threshold = BestThreshold(train);
        var accuracies = new Dictionary<string, double>
        {
            ["logistic regression on mean R, G, B"] = Accuracy(valid, f => logistic(f) >= 0.5 ? 1 : 0),
            ["nearest centroid"] = Accuracy(valid, f => Distance(f, centroids.One) < Distance(f, centroids.Zero) ? 1 : 0),
            ["best threshold on one channel"] = Accuracy(valid, f => (f[threshold.Channel] >= threshold.Value) == threshold.AboveIsOne ? 1 : 0),
        };

        foreach (var (name, accuracy) in accuracies)
        {
            output.WriteLine($"{name}: validation accuracy {accuracy:F3}");
        }
        Assert.All(accuracies, a => Assert.True(a.Value < 0.7, $"{a.Key}: validation accuracy {a.Value:F3}"));
    }

    private static List<(double[] Features, int Label)> MeanColours(IReadOnlyList<LabeledImage> images)
    {
        const int size = 32;
        return images.Select(image =>
        {
            var values = ImageDecoder.Decode(image.Path, size);
            var means = Enumerable.Range(0, 3).Select(c => values.AsSpan(c * size * size, size * size).ToArray().Average(v => (double)v)).ToArray();
            return (means, image.Label);
        }).ToList();
    }

    // Gradient descent on standardised features: plenty for three inputs.
    private static Func<double[], double> FitLogistic(List<(double[] Features, int Label)> train)
    {
        var mean = Enumerable.Range(0, 3).Select(c => train.Average(t => t.Features[c])).ToArray();
        var std = Enumerable.Range(0, 3).Select(c => Math.Sqrt(train.Average(t => Math.Pow(t.Features[c] - mean[c], 2))) + 1e-9).ToArray();
        var weights = new double[4];
        double Predict(double[] f) => 1 / (1 + Math.Exp(-(weights[3] + Enumerable.Range(0, 3).Sum(c => weights[c] * (f[c] - mean[c]) / std[c]))));
        for (var step = 0; step < 2000; step++)
        {
            var gradient = new double[4];
            foreach (var (features, label) in train)
            {
                var error = Predict(features) - label;
                for (var c = 0; c < 3; c++)
                {
                    gradient[c] += error * (features[c] - mean[c]) / std[c];
                }
                gradient[3] += error;
            }
            for (var k = 0; k < 4; k++)
            {
                weights[k] -= 0.5 * gradient[k] / train.Count;
            }
        }
        return Predict;
    }

    private static double[] Centroid(List<(double[] Features, int Label)> train, int label) =>
        Enumerable.Range(0, 3).Select(c => train.Where(t => t.Label == label).Average(t => t.Features[c])).ToArray();

    private static double Distance(double[] a, double[] b) => a.Zip(b, (x, y) => (x - y) * (x - y)).Sum();

    private static (int Channel, double Value, bool AboveIsOne) BestThreshold(List<(double[] Features, int Label)> train)
    {
        var best = (Channel: 0, Value: 0.0, AboveIsOne: true, Accuracy: -1.0);
        for (var c = 0; c < 3; c++)
        {
            foreach (var value in train.Select(t => t.Features[c]).Distinct())
            {
                foreach (var aboveIsOne in new[] { true, false })
                {
                    var accuracy = Accuracy(train, f => (f[c] >= value) == aboveIsOne ? 1 : 0);
                    if (accuracy > best.Accuracy)
                    {
                        best = (c, value, aboveIsOne, accuracy);
                    }
                }
            }
        }
        return (best.Channel, best.Value, best.AboveIsOne);
    }

    private static double Accuracy(List<(double[] Features, int Label)> set, Func<double[], int> classify) =>
        set.Average(s => classify(s.Features) == s.Label ? 1.0 : 0.0);
}
