using System.CommandLine;
using PalmLab.Engine.Onnx;
using PalmLab.Engine.Training;

namespace PalmLab.Cli;

/// <summary>
/// <c>palmlab export</c>: a checkpoint as an ONNX file that any ONNX runtime runs without PalmLab (batch norm folded, 0-255
/// RGB pixels at the run's image size in, the probability of pathologic myopia out).
/// </summary>
internal static class ExportCommand
{
    private static readonly Option<string> CheckpointFile = new("--checkpoint")
    {
        Description = "A checkpoint written by palmlab train (best.ckpt or last.ckpt).", Required = true, HelpName = "FILE",
    };
    private static readonly Option<string> Onnx = new("--onnx") { Description = "The ONNX file to write (replaced whole, never half-written).", Required = true, HelpName = "FILE" };

    public static Command Create()
    {
        var command = new Command("export", "Export a checkpoint to ONNX: input 'image' float RGB 0-255 [N, 3, S, S], output 'probability' [N, 1].")
        {
            CheckpointFile, Onnx,
        };
        command.SetAction((parsed, cancellationToken) => CommandRunner.RunAsync(() => Task.Run(() => Export(parsed), cancellationToken)));
        return command;
    }

    private static int Export(ParseResult parsed)
    {
        var checkpoint = parsed.GetRequiredValue(CheckpointFile);
        var onnx = parsed.GetRequiredValue(Onnx);
        if (Directory.Exists(onnx))
        {
            throw new Engine.PalmLabException($"--onnx {onnx} is a folder: name the file to write, such as {Path.Combine(onnx, "model.onnx")}.");
        }
        var header = Checkpoint.ReadHeader(checkpoint);
        OnnxExporter.Export(checkpoint, onnx);
        var size = header.Config.Options.ImageSize;
        Console.WriteLine($"Wrote {onnx} ({new FileInfo(onnx).Length / 1e6:F1} MB, ResNet-{header.Config.Options.Depth}, epoch {header.Epoch}, threshold {header.Config.Options.Threshold}).");
        Console.WriteLine($"Input '{OnnxExporter.InputName}': {OnnxExporter.InputDescription(size)}; output '{OnnxExporter.OutputName}': [N, 1], the probability of pathologic myopia.");
        return 0;
    }
}
