using System.CommandLine;
using PalmLab.Engine.Inference;

namespace PalmLab.Cli;

/// <summary>
/// The model of <c>evaluate</c> and <c>predict</c>: <c>--checkpoint</c> once or more (a file, or a cross-validation folder
/// meaning its fold models' best.ckpt; several are averaged as an ensemble) and <c>--tta none|flip</c>.
/// </summary>
internal sealed class ModelOptions
{
    public Option<string[]> Checkpoints { get; } = new("--checkpoint")
    {
        Description = "A checkpoint written by palmlab train, or a cross-validation folder (palmlab train --folds K --out FOLDER: " +
            "the mean of its fold models' best.ckpt). Repeat it to average several checkpoints (same image size).",
        Required = true,
        Arity = ArgumentArity.OneOrMore,
        HelpName = "FILE|FOLDER",
    };

    public Option<string> Tta { get; } = new("--tta")
    {
        Description = "Test-time augmentation: none, or flip (the mean of each image's and its horizontal mirror's probability).",
        DefaultValueFactory = _ => "none",
    };

    public IEnumerable<Option> All => [Checkpoints, Tta];

    /// <summary>The checkpoints and augmentation asked for; a <see cref="Engine.PalmLabException"/> names what is wrong.</summary>
    public (CheckpointSet Set, TestTimeAugmentation Tta) Read(ParseResult parsed) =>
        (CheckpointSet.Resolve(parsed.GetRequiredValue(Checkpoints)), TestTimeAugmentations.Parse(parsed.GetValue(Tta), "--tta"));
}
