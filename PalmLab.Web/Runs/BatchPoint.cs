using PalmLab.Engine;
using static PalmLab.Engine.CsvValue;

namespace PalmLab.Web.Runs;

/// <summary>
/// One optimizer step's loss, as the API and the live stream carry it. <see cref="Fold"/> is the cross-validation fold
/// (1..K; null for an ordinary run): steps run on across folds, epochs start again in each.
/// </summary>
public sealed record BatchPoint(long Step, int Epoch, double Loss, double LearningRate, int? Fold = null)
{
    /// <summary>The batch-loss CSV export's columns.</summary>
    public static readonly CsvTable<BatchPoint> Csv = new(
    [
        ("step", p => Of(p.Step)),
        ("epoch", p => Of(p.Epoch)),
        ("loss", p => Of(p.Loss)),
        ("learning_rate", p => Of(p.LearningRate)),
    ]);
}
