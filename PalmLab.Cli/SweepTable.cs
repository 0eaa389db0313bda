using System.Globalization;
using PalmLab.Engine.Sweeps;
using PalmLab.Engine.Training;

namespace PalmLab.Cli;

/// <summary>The end of <c>palmlab sweep</c>: trials ranked by the metric, the best marked, and its <c>palmlab train</c> line.</summary>
internal static class SweepTable
{
    public static void Print(SweepResult result, TrainingConfig data, string bestOut)
    {
        var spec = result.Spec;
        var columns = spec.Space.Dimensions.Select(d => d.TrainingOption.JsonName).ToList();
        var header = new[] { "rank", "trial", spec.MetricName, "status", "seconds" }.Concat(columns).ToList();
        var rows = result.Ranked.Select((t, i) => new[]
        {
            (i + 1).ToString(CultureInfo.InvariantCulture),
            t.Number.ToString(CultureInfo.InvariantCulture),
            Format(t.Metric),
            Outcome(t),
            t.Seconds.ToString("F1", CultureInfo.InvariantCulture),
        }.Concat(columns.Select(c => SweepDimension.Format(t.Swept.GetValueOrDefault(c)))).Append(t.Number == result.BestTrial ? "*best" : "").ToList()).ToList();
        var widths = header.Select((h, c) => rows.Select(r => r[c].Length).Append(h.Length).Max()).ToList();
        Console.WriteLine();
        Console.WriteLine(Line(header.Append("").ToList(), widths));
        foreach (var row in rows)
        {
            Console.WriteLine(Line(row, widths));
        }
        if (result.Trials.FirstOrDefault(t => t.Number == result.BestTrial) is { } best)
        {
            Console.WriteLine();
            Console.WriteLine($"best: trial {best.Number}, {spec.MetricName} {Format(best.Metric)}  {best.Describe()}");
            Console.WriteLine(TrainCommandLine(spec, best.Options, data, bestOut));
        }
    }

    public static string Format(MeanStd? value) => value switch
    {
        null => "n/a",
        { Std: { } std } => string.Create(CultureInfo.InvariantCulture, $"{value.Mean:F3} ± {std:F3}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{value.Mean:F3}"),
    };

    public static string Outcome(SweepTrialResult t) => t.Status switch
    {
        SweepTrialStatus.Completed => "completed",
        SweepTrialStatus.StoppedEarly => $"stopped early at {t.StoppedAt}",
        SweepTrialStatus.Cancelled => "cancelled",
        _ => $"failed: {CommandRunner.OneLine(t.Message ?? "")}",
    };

    /// <summary>"palmlab train --train-dir ... --preset quick --depth 34 --lr 0.01 --out ...": the options that differ from the preset.</summary>
    public static string TrainCommandLine(SweepSpec spec, TrainingOptions options, TrainingConfig data, string output)
    {
        var preset = TrainingPresets.All.TryGetValue(spec.Preset ?? "reference", out var start) ? start : TrainingPresets.Reference;
        var parts = new List<string> { "palmlab train", "--train-dir", Quote(data.TrainDir) };
        if (data.ValidDir is not null)
        {
            parts.AddRange(["--valid-dir", Quote(data.ValidDir)]);
        }
        if (data.LabelsPath is not null)
        {
            parts.AddRange(["--labels", Quote(data.LabelsPath)]);
        }
        if (spec.Preset is not null)
        {
            parts.AddRange(["--preset", spec.Preset]);
        }
        foreach (var option in TrainingOption.All.Where(o => !Equals(o.GetValue(options), o.GetValue(preset))))
        {
            var value = option.GetValue(options);
            parts.Add("--" + option.CliName);
            if (value is not true)
            {
                parts.Add(value is null ? "''" : SweepDimension.Format(value));
            }
        }
        parts.AddRange(["--out", Quote(output)]);
        return string.Join(" ", parts);
    }

    private static string Line(IReadOnlyList<string> cells, IReadOnlyList<int> widths) =>
        string.Join("  ", cells.Select((c, i) => i < widths.Count ? (i is 0 or 1 or 4 ? c.PadLeft(widths[i]) : c.PadRight(widths[i])) : c)).TrimEnd();

    private static string Quote(string text) => text.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$' or '\\') ? $"'{text.Replace("'", "'\\''")}'" : text;
}
