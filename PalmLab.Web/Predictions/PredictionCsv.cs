using System.Globalization;
using CsvHelper;
using PalmLab.Engine.Inference;

namespace PalmLab.Web.Predictions;

/// <summary>The Predict page's table as CSV: one row per file, with the threshold, checkpoint (or ensemble) and test-time augmentation that labelled it.</summary>
public static class PredictionCsv
{
    public static readonly string[] Columns = ["file", "probability", "label", "threshold", "checkpoint", "run", "model", "tta", "error"];

    // File names come from users: one starting with "=" must not become a spreadsheet formula.
    private static readonly CsvWriterOptions Options = new() { Injection = CsvInjection.Escape, NewLine = "\n" };

    public static string Write(IEnumerable<FilePrediction> results, double threshold, CheckpointChoice checkpoint, TestTimeAugmentation tta = TestTimeAugmentation.None)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, Options, leaveOpen: true))
        {
            csv.WriteRecord(Columns);
            foreach (var r in results)
            {
                csv.WriteRecord([
                    r.File,
                    r.Probability?.ToString("0.######", CultureInfo.InvariantCulture) ?? "",
                    r.LabelAt(threshold)?.ToString(CultureInfo.InvariantCulture) ?? "",
                    threshold.ToString("0.###", CultureInfo.InvariantCulture),
                    checkpoint.Key,
                    checkpoint.RunName,
                    checkpoint.Model,
                    TestTimeAugmentations.NameOf(tta),
                    r.Error ?? "",
                ]);
            }
            csv.Flush();
        }
        return text.ToString();
    }
}
