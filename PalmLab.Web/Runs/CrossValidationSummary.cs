using PalmLab.Engine.Training;

namespace PalmLab.Web.Runs;

/// <summary>
/// A cross-validated run's summary: per epoch, every metric's mean and sample std over the folds that reached it, and
/// <see cref="Final"/>, the same over the folds that finished (null until one has).
/// </summary>
public sealed record CrossValidationSummary(int Folds, int FoldsFinished, IReadOnlyList<CrossValidationEpoch> Epochs, CrossValidationEpoch? Final)
{
    public static CrossValidationSummary From(TrainingOptions options, IReadOnlyList<RunFoldEpochs> folds)
    {
        var epochs = CrossValidation.Summarise(folds.Select(f => f.Epochs).ToList());
        var finished = folds.Count(f => f.Epochs.Any(e => e.Epoch == options.Epochs));
        return new CrossValidationSummary(options.Folds ?? folds.Count, finished, epochs, epochs.FirstOrDefault(e => e.Epoch == options.Epochs));
    }
}
