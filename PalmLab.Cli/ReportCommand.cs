using System.CommandLine;
using PalmLab.Engine.DataSets;

namespace PalmLab.Cli;

/// <summary><c>palmlab report</c>: checks a folder in the iChallenge-PM layout and prints its report as JSON.</summary>
internal static class ReportCommand
{
    private static readonly Argument<string> Folder = new("folder") { Description = "A data set, or any folder holding the iChallenge-PM layout." };

    public static Command Create()
    {
        var command = new Command("report", "Count, size, hash and check every image of a data-set folder (prints JSON).") { Folder };
        command.SetAction((parsed, cancellationToken) => CommandRunner.RunAsync(() => Task.Run(() => Report(parsed, cancellationToken), cancellationToken)));
        return command;
    }

    private static int Report(ParseResult parsed, CancellationToken cancellationToken)
    {
        var layout = DataSetLayout.Find(parsed.GetRequiredValue(Folder));
        var report = DataSetReport.Build(layout, cancellationToken: cancellationToken);
        Console.WriteLine(CliJson.Serialize(new
        {
            folder = layout.Root,
            trainingDir = layout.Relative(layout.TrainingDir),
            validationDir = layout.ValidationDir is null ? null : layout.Relative(layout.ValidationDir),
            labelsFile = layout.LabelsFile is null ? null : layout.Relative(layout.LabelsFile),
            report,
        }));
        return 0;
    }
}
