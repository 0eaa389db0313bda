using PalmLab.Engine.Training;

namespace PalmLab.Tests.Support;

public static class TrainingConfigExtensions
{
    /// <summary>The configuration with its options changed: <c>config.With(o => o with { Epochs = 1 })</c>.</summary>
    public static TrainingConfig With(this TrainingConfig config, Func<TrainingOptions, TrainingOptions> change) =>
        config with { Options = change(config.Options) };
}
