using PalmLab.Engine.Training;
using PalmLab.Tests.Engine;
using PalmLab.Tests.Support;

namespace PalmLab.Tests.Cli;

/// <summary>The tiny data set of <see cref="TrainingFixture"/> and a checkpoint trained on it for one epoch, once per collection.</summary>
public sealed class CheckpointFixture : IDisposable
{
    public CheckpointFixture()
    {
        Checkpoint = Trainer.Run(Data.Config.With(o => o with { Epochs = 1 }), Data.NewOutputDir()).LastCheckpoint;
    }

    public TrainingFixture Data { get; } = new();

    public string Checkpoint { get; }

    public void Dispose() => Data.Dispose();
}
