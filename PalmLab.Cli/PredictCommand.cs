using System.CommandLine;
using System.Globalization;
using PalmLab.Engine;
using PalmLab.Engine.Inference;

namespace PalmLab.Cli;

/// <summary><c>palmlab predict</c>: the probability of pathologic myopia for each file (or each image in a folder).</summary>
internal static class PredictCommand
{
    private static readonly ModelOptions Model = new();
    private static readonly Option<bool> Json = new("--json") { Description = "Print JSON instead of one tab-separated line per file." };
    private static readonly Option<string?> CamDir = new("--cam")
    {
        Description = "Also write each image's Grad-CAM (where the model looked) over the image, as OUT_DIR/<image name>.png.",
        HelpName = "OUT_DIR",
    };
    private static readonly Option<string> Device = new("--device") { Description = "auto, cpu or cuda.", DefaultValueFactory = _ => "auto" };
    private static readonly Option<string> Precision = new Option<string>("--precision")
    {
        Description = "auto (bf16 on a CPU with bfloat16 instructions, else fp32), fp32, or bf16: each batch in bfloat16, and every image " +
            "whose label bf16 could have changed predicted again in fp32, so the labels are fp32's and the probabilities within a few hundredths.",
        DefaultValueFactory = _ => "auto",
    }.AcceptOnlyFromAmong("auto", "fp32", "bf16");
    private static readonly Argument<string[]> Inputs = new("files") { Description = "Image files or folders of images.", Arity = ArgumentArity.OneOrMore };

    public static Command Create()
    {
        var command = new Command("predict", "Predict pathologic myopia for image files with a checkpoint.")
        {
            Json, CamDir, Device, Precision, Inputs,
        };
        foreach (var option in Model.All)
        {
            command.Options.Add(option);
        }
        command.SetAction((parsed, cancellationToken) => CommandRunner.RunAsync(() => Task.Run(() => Predict(parsed, cancellationToken), cancellationToken)));
        return command;
    }

    private static int Predict(ParseResult parsed, CancellationToken cancellationToken)
    {
        var (checkpoints, tta) = Model.Read(parsed);
        using var predictor = Predictor.Load(checkpoints.Paths, parsed.GetRequiredValue(Device));
        // auto takes bf16 on a CPU with bfloat16 instructions (where its margin was measured) and fp32 elsewhere without a
        // word; bf16 asked for by name runs on any device that computes it and is refused, with the reason, on one that does not.
        var precision = parsed.GetRequiredValue(Precision);
        if (precision == "bf16" && predictor.UseBf16() is { } problem)
        {
            throw new PalmLabException(problem);
        }
        if (precision == "auto" && predictor.OnCpu)
        {
            _ = predictor.UseBf16(); // where the processor lacks bf16 it stays fp32
        }
        var predictions = PredictInOrder(predictor, parsed.GetRequiredValue(Inputs), tta, cancellationToken);
        if (parsed.GetValue(Json))
        {
            Console.WriteLine(CliJson.Serialize(new
            {
                model = checkpoints.Describe(tta),
                tta = TestTimeAugmentations.NameOf(tta),
                precision = predictor.Precision == Engine.Models.Precision.Bf16 ? "bf16-checked" : "fp32",
                checkpoints = checkpoints.Paths,
                threshold = predictor.Threshold,
                predictions,
            }));
        }
        else
        {
            // The first line says which model answered; a line starting with '#' is a comment to most TSV readers.
            Console.WriteLine($"# {checkpoints.Describe(tta)}, {PrecisionName(predictor)}");
            Console.WriteLine("probability\tlabel\tfile");
            foreach (var p in predictions.Where(p => p.Error is null))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{p.Probability:F4}\t{p.Label}\t{p.Path}"));
            }
        }
        if (parsed.GetValue(CamDir) is { } camDir)
        {
            foreach (var (image, overlay, explains) in CamWriter.Write(predictor, predictions.Where(p => p.Error is null).Select(p => p.Path), camDir, tta, cancellationToken))
            {
                Console.Error.WriteLine($"Grad-CAM of {image}: {overlay} (evidence for {explains})");
            }
        }
        var failed = predictions.Where(p => p.Error is not null).ToList();
        foreach (var p in failed)
        {
            Console.Error.WriteLine($"error: {CommandRunner.OneLine(p.Error!)}");
        }
        return failed.Count == 0 ? 0 : 1;
    }

    private static string PrecisionName(Predictor predictor) =>
        predictor.Precision == Engine.Models.Precision.Bf16 ? "bf16 (fp32 near the threshold)" : "fp32";

    // A missing file or an empty folder among the inputs costs only its own line, as an unreadable image does,
    // so the images that can be predicted still are; the answers keep the order of the inputs.
    private static List<Prediction> PredictInOrder(Predictor predictor, string[] inputs, TestTimeAugmentation tta, CancellationToken cancellationToken)
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
        var predicted = predictor.Predict(expanded.SelectMany(e => e.Paths).ToList(), tta: tta, cancellationToken: cancellationToken);
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
