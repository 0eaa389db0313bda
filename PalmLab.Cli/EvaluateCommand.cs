using System.CommandLine;
using PalmLab.Engine.Data;
using PalmLab.Engine.Inference;
using PalmLab.Engine.Training;

namespace PalmLab.Cli;

/// <summary>
/// <c>palmlab evaluate</c>: a checkpoint's (or an ensemble's) metrics on a labelled validation folder, as JSON, with each
/// ensemble member's own metrics beside them.
/// </summary>
internal static class EvaluateCommand
{
    private static readonly ModelOptions Model = new();
    private static readonly Option<string> ValidDir = new("--valid-dir") { Description = "Validation folder.", Required = true };
    private static readonly Option<string?> Labels = new("--labels") { Description = "Validation labels: labels.csv or PM_Label_and_Fovea_Location.xlsx (default: labels.csv in --valid-dir or ../PALM-Validation-GT/, then the .xlsx there)." };
    private static readonly Option<double?> Threshold = new("--threshold") { Description = "Decision threshold (default: the checkpoint's)." };
    private static readonly Option<int?> BatchSize = new("--batch-size") { Description = "Images per forward pass (default: the checkpoint's)." };
    private static readonly Option<string> Device = new("--device") { Description = "auto, cpu or cuda.", DefaultValueFactory = _ => "auto" };

    public static Command Create()
    {
        var command = new Command("evaluate", "Score a checkpoint on a labelled validation folder.")
        {
            ValidDir, Labels, Threshold, BatchSize, Device,
        };
        foreach (var option in Model.All)
        {
            command.Options.Add(option);
        }
        command.SetAction((parsed, cancellationToken) => CommandRunner.RunAsync(() => Task.Run(() => Evaluate(parsed, cancellationToken), cancellationToken)));
        return command;
    }

    private static int Evaluate(ParseResult parsed, CancellationToken cancellationToken)
    {
        var (checkpoints, tta) = Model.Read(parsed);
        var threshold = parsed.GetValue(Threshold);
        if (threshold is { } t && !(t > 0 && t < 1))
        {
            throw new Engine.PalmLabException($"--threshold must be between 0 and 1 (exclusive), not {t}.");
        }
        var batch = parsed.GetValue(BatchSize);
        if (batch <= 0)
        {
            throw new Engine.PalmLabException($"--batch-size must be at least 1, not {batch}.");
        }
        using var predictor = Predictor.Load(checkpoints.Paths, parsed.GetRequiredValue(Device));
        var config = predictor.Header.Config.Options;
        var images = DatasetReader.ReadValidationFolder(parsed.GetRequiredValue(ValidDir), parsed.GetValue(Labels)).Images;
        using var set = ImageTensorSet.Load(images, config.ImageSize, "validation", cancellationToken: cancellationToken);
        var evaluation = predictor.Evaluate(set, batch ?? config.BatchSize, threshold ?? config.Threshold, tta, cancellationToken);
        var single = predictor.Members.Count == 1;
        Console.WriteLine(CliJson.Serialize(new
        {
            model = checkpoints.Describe(tta),
            checkpoint = single ? predictor.Members[0].Path : null,
            tta = TestTimeAugmentations.NameOf(tta),
            depth = single ? config.Depth : (int?)null,
            imageSize = config.ImageSize,
            epoch = single ? predictor.Header.Epoch : (int?)null,
            images = set.Count,
            loss = evaluation.Ensemble.Loss,
            metrics = evaluation.Ensemble.Metrics,
            members = predictor.Members.Select((m, i) => new
            {
                checkpoint = m.Path,
                depth = m.Header.Config.Options.Depth,
                epoch = m.Header.Epoch,
                loss = evaluation.Members[i].Loss,
                metrics = evaluation.Members[i].Metrics,
            }),
        }));
        return 0;
    }
}
