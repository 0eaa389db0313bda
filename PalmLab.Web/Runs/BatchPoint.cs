using PalmLab.Engine;
using static PalmLab.Engine.CsvValue;

namespace PalmLab.Web.Runs;

/// <summary>One optimizer step's loss, as the API and the live stream carry it.</summary>
public sealed record BatchPoint(long Step, int Epoch, double Loss, double LearningRate)
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
