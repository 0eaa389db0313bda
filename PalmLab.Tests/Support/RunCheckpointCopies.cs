using PalmLab.Engine.Training;
using static TorchSharp.torch;

namespace PalmLab.Tests.Support;

/// <summary>Checkpoints laid out for a seeded run, as its own (the dashboard checks a checkpoint's run identity).</summary>
public static class RunCheckpointCopies
{
    /// <summary>
    /// Writes the model of <paramref name="source"/> to <paramref name="destination"/> with run <paramref name="runUid"/>'s
    /// identity in its header, as that run's worker writes them: the same weights, so the same predictions.
    /// </summary>
    public static void CopyAsRunsOwn(string source, string destination, Guid runUid)
    {
        var header = Checkpoint.ReadHeader(source);
        var (model, _) = Checkpoint.LoadModel(source, CPU);
        using (model)
        {
            Checkpoint.Save(destination, header with { Config = header.Config with { RunUid = runUid } }, model, null);
        }
    }
}
