using System.CommandLine;
using System.Globalization;
using PalmLab.Engine;
using PalmLab.Engine.Synthetic;

namespace PalmLab.Cli;

/// <summary><c>palmlab generate-demo</c>: a synthetic iChallenge-PM data set in the official layout, for demos and tests.</summary>
internal static class GenerateDemoCommand
{
    private static readonly Option<string?> Out = new("--out") { Description = "Folder that receives PALM-Training400/, PALM-Validation400/ and PALM-Validation-GT/." };
    private static readonly Option<int?> Seed = new("--seed") { Description = "Seed (default 0); the same seed and options give byte-identical files." };
    private static readonly Option<int?> Size = new("--size") { Description = $"Width and height of the images in pixels (default {new SyntheticDataOptions().Width})." };
    private static readonly Option<int?> TrainCount = new("--train-count") { Description = "Training images, split N:H:P as 161:26:213 (default 400)." };
    private static readonly Option<int?> ValidCount = new("--valid-count") { Description = "Validation images, in the same class mix (default 400)." };

    public static Command Create()
    {
        var command = new Command("generate-demo", "Write a synthetic iChallenge-PM data set: fundus-like photographs, the official folders and labels.")
        {
            Out, Seed, Size, TrainCount, ValidCount,
        };
        command.SetAction((parsed, cancellationToken) => CommandRunner.RunAsync(() => Task.Run(() => Generate(parsed, cancellationToken), cancellationToken)));
        return command;
    }

    private static int Generate(ParseResult parsed, CancellationToken cancellationToken)
    {
        var output = parsed.GetValue(Out) ?? throw new PalmLabException("--out FOLDER is required: the data set is written there.");
        var defaults = new SyntheticDataOptions();
        var size = parsed.GetValue(Size);
        if (size is < SyntheticDataOptions.MinSize or > SyntheticDataOptions.MaxSize)
        {
            throw new PalmLabException(
                $"Invalid generation options: size: must be between {SyntheticDataOptions.MinSize} and {SyntheticDataOptions.MaxSize} pixels, not {size}.");
        }
        var options = defaults with
        {
            Seed = parsed.GetValue(Seed) ?? defaults.Seed,
            Width = size ?? defaults.Width,
            Height = size ?? defaults.Height,
            TrainCount = parsed.GetValue(TrainCount) ?? defaults.TrainCount,
            ValidationCount = parsed.GetValue(ValidCount) ?? defaults.ValidationCount,
        };
        var every = Math.Max(1, (options.TrainCount + options.ValidationCount) / 10);
        var progress = new InlineProgress<GenerationProgress>(p =>
        {
            if (p.Done % every == 0 || p.Done == p.Total)
            {
                Console.Error.WriteLine($"generated {p.Done}/{p.Total} images");
            }
        });
        var set = FundusGenerator.Generate(options, output, progress, cancellationToken);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {set.Normal} N + {set.HighMyopia} H + {set.Pathologic} P training images to {set.TrainDir}, {set.Validation} validation images ({set.ValidationPathologic} pathologic) to {set.ValidDir} and their labels to {set.LabelsXlsxPath} and {set.LabelsCsvPath} in {set.Seconds:F1} s"));
        return 0;
    }
}
