using System.CommandLine;
using System.Globalization;
using PalmLab.Engine;
using PalmLab.Engine.Inference;

namespace PalmLab.Cli;

/// <summary><c>palmlab predict</c>: the probability of pathologic myopia for each file (or each image in a folder).</summary>
internal static class PredictCommand
{
    private static readonly Option<string> CheckpointPath = new("--checkpoint") { Description = "A checkpoint written by palmlab train.", Required = true };
    private static readonly Option<bool> Json = new("--json") { Description = "Print JSON instead of one tab-separated line per file." };
    private static readonly Option<string?> CamDir = new("--cam")
    {
        Description = "Also write each image's Grad-CAM (where the model looked) over the image, as OUT_DIR/<image name>.png.",
        HelpName = "OUT_DIR",
    };
    private static readonly Option<string> Device = new("--device") { Description = "auto, cpu or cuda.", DefaultValueFactory = _ => "auto" };
    private static readonly Argument<string[]> Inputs = new("files") { Description = "Image files or folders of images.", Arity = ArgumentArity.OneOrMore };

    public static Command Create()
    {
        var command = new Command("predict", "Predict pathologic myopia for image files with a checkpoint.")
        {
            CheckpointPath, Json, CamDir, Device, Inputs,
        };
        command.SetAction((parsed, cancellationToken) => CommandRunner.RunAsync(() => Task.Run(() => Predict(parsed, cancellationToken), cancellationToken)));
        return command;
    }

    private static int Predict(ParseResult parsed, CancellationToken cancellationToken)
    {
        using var predictor = Predictor.Load(parsed.GetRequiredValue(CheckpointPath), parsed.GetRequiredValue(Device));
        var predictions = PredictInOrder(predictor, parsed.GetRequiredValue(Inputs), cancellationToken);
        if (parsed.GetValue(Json))
        {
            Console.WriteLine(CliJson.Serialize(predictions));
        }
        else
        {
            Console.WriteLine("probability\tlabel\tfile");
            foreach (var p in predictions.Where(p => p.Error is null))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{p.Probability:F4}\t{p.Label}\t{p.Path}"));
            }
        }
        if (parsed.GetValue(CamDir) is { } camDir)
        {
            foreach (var (image, overlay) in CamWriter.Write(predictor, predictions.Where(p => p.Error is null).Select(p => p.Path), camDir, cancellationToken))
            {
                Console.Error.WriteLine($"Grad-CAM of {image}: {overlay}");
            }
        }
        var failed = predictions.Where(p => p.Error is not null).ToList();
        foreach (var p in failed)
        {
            Console.Error.WriteLine($"error: {CommandRunner.OneLine(p.Error!)}");
        }
        return failed.Count == 0 ? 0 : 1;
    }

    // A missing file or an empty folder among the inputs costs only its own line, as an unreadable image does,
    // so the images that can be predicted still are; the answers keep the order of the inputs.
    private static List<Prediction> PredictInOrder(Predictor predictor, string[] inputs, CancellationToken cancellationToken)
    {
        var expanded = new List<(IReadOnlyList<string> Paths, Prediction? Unusable)>();
        foreach (var input in inputs)
        {
            try
            {
                expanded.Add((Predictor.ExpandInputs([input]), null));
            }
            catch (PalmLabException e)
            {
                expanded.Add(([], new Prediction(input, null, null, e.Message)));
            }
        }
        var predicted = predictor.Predict(expanded.SelectMany(e => e.Paths).ToList(), cancellationToken: cancellationToken);
        var predictions = new List<Prediction>();
        var next = 0;
        foreach (var (paths, unusable) in expanded)
        {
            if (unusable is not null)
            {
                predictions.Add(unusable);
            }
            predictions.AddRange(predicted.Skip(next).Take(paths.Count));
            next += paths.Count;
        }
        return predictions;
    }
}
