using PalmLab.Engine.Training;
using PalmLab.Tests.Support;

namespace PalmLab.Tests.Engine;

/// <summary>A tiny labelled data set on disk and a configuration that trains on it in about a second.</summary>
public sealed class TrainingFixture : IDisposable
{
    private readonly TempDir _temp = new();

    public TrainingFixture()
    {
        TrainDir = TestImages.WriteTrainingFolder(_temp.Sub("PALM-Training400"), normal: 8, high: 2, pathologic: 10, size: 40);
        ValidDir = _temp.Sub("PALM-Validation400");
        TestImages.WriteValidationFolder(ValidDir, 8, size: 40);
    }

    public string TrainDir { get; }

    public string ValidDir { get; }

    public TrainingConfig Config => new()
    {
        TrainDir = TrainDir,
        ValidDir = ValidDir,
        Options = new() { Depth = 18, ImageSize = 32, BatchSize = 6, Epochs = 2, Seed = 5 },
        Device = "cpu",
    };

    public string NewOutputDir() => _temp.Sub("out-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose() => _temp.Dispose();
}
