using System.CommandLine;
using PalmLab.Engine.Data;
using PalmLab.Engine.Runtime;
using PalmLab.Engine.Training;

namespace PalmLab.Cli;

/// <summary><c>palmlab evaluate</c>: a checkpoint's metrics on a labelled validation folder, as JSON.</summary>
internal static class EvaluateCommand
{
    private static readonly Option<string> CheckpointPath = new("--checkpoint") { Description = "A checkpoint written by palmlab train.", Required = true };
    private static readonly Option<string> ValidDir = new("--valid-dir") { Description = "Validation folder.", Required = true };
    private static readonly Option<string?> Labels = new("--labels") { Description = "Validation labels: labels.csv or PM_Label_and_Fovea_Location.xlsx (default: labels.csv in --valid-dir or ../PALM-Validation-GT/, then the .xlsx there)." };
    private static readonly Option<double?> Threshold = new("--threshold") { Description = "Decision threshold (default: the checkpoint's)." };
    private static readonly Option<int?> BatchSize = new("--batch-size") { Description = "Images per forward pass (default: the checkpoint's)." };
    private static readonly Option<string> Device = new("--device") { Description = "auto, cpu or cuda.", DefaultValueFactory = _ => "auto" };

    public static Command Create()
    {
        var command = new Command("evaluate", "Score a checkpoint on a labelled validation folder.")
        {
            CheckpointPath, ValidDir, Labels, Threshold, BatchSize, Device,
        };
        command.SetAction((parsed, cancellationToken) => CommandRunner.RunAsync(() => Task.Run(() => Evaluate(parsed, cancellationToken), cancellationToken)));
        return command;
    }

    private static int Evaluate(ParseResult parsed, CancellationToken cancellationToken)
    {
        var path = parsed.GetRequiredValue(CheckpointPath);
        var device = TorchRuntime.Initialize(parsed.GetRequiredValue(Device));
        var (model, header) = Checkpoint.LoadModel(path, device);
        using (model)
        {
            var config = header.Config.Options;
            var images = DatasetReader.ReadValidationFolder(parsed.GetRequiredValue(ValidDir), parsed.GetValue(Labels)).Images;
            using var set = ImageTensorSet.Load(images, config.ImageSize, "validation", cancellationToken: cancellationToken);
            var threshold = parsed.GetValue(Threshold) ?? config.Threshold;
            if (!(threshold > 0 && threshold < 1))
            {
                throw new Engine.PalmLabException($"--threshold must be between 0 and 1 (exclusive), not {threshold}.");
            }
            var batchSize = parsed.GetValue(BatchSize) ?? config.BatchSize;
            if (batchSize <= 0)
            {
                throw new Engine.PalmLabException($"--batch-size must be at least 1, not {batchSize}.");
            }
            var evaluation = Evaluator.Evaluate(model, set, batchSize, threshold, device, cancellationToken);
            Console.WriteLine(CliJson.Serialize(new
            {
                checkpoint = path,
                depth = config.Depth,
                imageSize = config.ImageSize,
                epoch = header.Epoch,
                images = set.Count,
                loss = evaluation.Loss,
                metrics = evaluation.Metrics,
            }));
        }
        return 0;
    }
}
