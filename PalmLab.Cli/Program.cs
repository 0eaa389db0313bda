using System.CommandLine;
using PalmLab.Cli;

var root = new RootCommand("PalmLab: train, evaluate and apply pathologic-myopia classifiers on iChallenge-PM fundus photographs; generate, import and check data sets.")
{
    TrainCommand.Create(),
    EvaluateCommand.Create(),
    PredictCommand.Create(),
    ExportCommand.Create(),
    GenerateDemoCommand.Create(),
    ImportCommand.Create(),
    ReportCommand.Create(),
    SweepCommand.Create(),
    JobCommand.Create(),
    StressScalarsCommand.Create(),
};
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"error: {error.Message}");
    }
    Console.Error.WriteLine("Run 'palmlab --help' or 'palmlab <command> --help' for the options.");
    return 2;
}
// Ctrl-C cancels the running epoch at its next batch; the time lets a sweep or a fold finish writing what it keeps.
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });
