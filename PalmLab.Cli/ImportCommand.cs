using System.CommandLine;
using PalmLab.Engine;
using PalmLab.Engine.DataSets;

namespace PalmLab.Cli;

/// <summary><c>palmlab import</c>: the official zips and/or folders into a data-set folder, with a summary of what was found.</summary>
internal static class ImportCommand
{
    private const int MaxLinesShown = 20;

    private static readonly Argument<string[]> Sources = new("sources") { Description = "training.zip, validation.zip, valid_gt.zip (any order) and/or folders.", Arity = ArgumentArity.OneOrMore };
    private static readonly Option<string> Out = new("--out") { Description = "Folder of data sets; the data set becomes OUT/NAME.", Required = true };
    private static readonly Option<string?> Name = new("--name") { Description = "Name of the data set (default: from the first source, e.g. training.zip gives 'training')." };

    public static Command Create()
    {
        var command = new Command("import", "Import the iChallenge-PM zips or folders as a checked data set.") { Sources, Out, Name };
        command.SetAction((parsed, cancellationToken) => CommandRunner.RunAsync(() => Task.Run(() => Import(parsed, cancellationToken), cancellationToken)));
        return command;
    }

    private static int Import(ParseResult parsed, CancellationToken cancellationToken)
    {
        var sources = parsed.GetRequiredValue(Sources);
        var name = parsed.GetValue(Name) ?? DataSetImporter.DefaultName(sources[0]);
        var progress = new InlineProgress<DataSetProgress>(p =>
        {
            if (p.Done == 0)
            {
                Console.Error.WriteLine(p.Stage == "extract" ? $"unpacking {p.Total} files" : $"checking {p.Total} images");
            }
        });
        var result = DataSetImporter.Import(sources, parsed.GetRequiredValue(Out), name, progress: progress, cancellationToken: cancellationToken);
        var report = result.Manifest.Report;
        Console.WriteLine($"imported {string.Join(", ", sources.Select(Path.GetFileName))} as '{result.Manifest.Name}'");
        Console.WriteLine($"training: {report.TrainingImages} images ({report.Normal} N, {report.HighMyopia} H, {report.Pathologic} P readable)");
        Console.WriteLine(result.Manifest.ValidationDir is null ? "validation: none"
            : $"validation: {report.ValidationImages} images ({report.ValidationPositives} labelled 1, {report.ValidationNegatives} labelled 0)");
        Console.WriteLine($"image sizes: {string.Join(", ", report.ImageSizes.Select(s => $"{s.Width}x{s.Height} ({s.Count})"))}");
        Console.WriteLine($"content hash: {report.ContentHash}");
        PrintList($"skipped: {result.Skipped.Count}", result.Skipped);
        PrintList($"problems: {report.Problems.Count}", report.Problems.Select(p => p.Message).ToList());
        Console.WriteLine($"data set: {result.Folder}");
        return 0;
    }

    private static void PrintList(string heading, IReadOnlyList<string> lines)
    {
        Console.WriteLine(heading);
        foreach (var line in lines.Take(MaxLinesShown))
        {
            Console.WriteLine($"  {line}");
        }
        if (lines.Count > MaxLinesShown)
        {
            Console.WriteLine($"  and {lines.Count - MaxLinesShown} more");
        }
    }
}
