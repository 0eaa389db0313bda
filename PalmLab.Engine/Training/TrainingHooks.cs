using PalmLab.Engine.Data;

namespace PalmLab.Engine.Training;

/// <summary>Callbacks a trainer calls on its own thread; keep them quick (queue the work elsewhere).</summary>
public sealed record TrainingHooks(
    Action<BatchProgress>? Batch = null,
    Action<EpochResult>? Epoch = null,
    IProgress<DataLoadProgress>? Loading = null);
