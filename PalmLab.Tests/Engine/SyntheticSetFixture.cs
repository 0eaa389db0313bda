using PalmLab.Engine.Synthetic;
using PalmLab.Tests.Support;

namespace PalmLab.Tests.Engine;

/// <summary>A synthetic data set generated once for the tests that train or fit on it: 400 training and 200 validation images at 128 px.</summary>
public sealed class SyntheticSetFixture : IDisposable
{
    private readonly TempDir _temp = new();

    public SyntheticSetFixture()
    {
        Set = FundusGenerator.Generate(new SyntheticDataOptions { Seed = 11, TrainCount = 400, ValidationCount = 200, Width = 128, Height = 128 }, _temp.Path);
    }

    public SyntheticDataSet Set { get; }

    public string NewOutputDir() => _temp.Sub("out-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose() => _temp.Dispose();
}
