using PalmLab.Engine.Data;
using PalmLab.Engine.Inference;
using PalmLab.Engine.Runtime;
using PalmLab.Engine.Synthetic;
using PalmLab.Engine.Training;
using SixLabors.ImageSharp;
using TorchSharp;
using static PalmLab.Bench.Timing;
using static TorchSharp.torch;

namespace PalmLab.Bench;

/// <summary>`explain [depth=50] [size=224] [runs=8]`: median Grad-CAM of one image, beside a plain forward, a decode and an overlay.</summary>
public static class ExplainBench
{
    public static void Run(string[] args)
    {
        int depth = Arg(args, 0, 50), size = Arg(args, 1, 224), runs = Arg(args, 2, 8);
        var target = TorchRuntime.Initialize();
        using var net = Trainer.CreateModel(new TrainingConfig { Options = new() { Depth = depth } });
        net.to(target);
        // A synthetic photograph at the real set's smaller size, as an upload would arrive.
        using var photo = FundusGenerator.Render(FundusClass.Pathologic, 1444, 1444, seed: 1);
        using var jpeg = new MemoryStream();
        photo.SaveAsJpeg(jpeg);
        var bytes = jpeg.ToArray();
        var values = new float[3 * size * size];
        using var input = tensor(values, [1, 3, size, size]);
        float[] map = [];
        var decode = Median(runs, () => ImageDecoder.DecodeInto(bytes, size, values, "photo.jpg"));
        var forward = Median(runs, () => Evaluator.Logits(net, input, 1, target));
        var cam = Median(runs, () => map = GradCam.Compute(net, input, target).PathologicMap);
        var overlay = Median(runs, () => CamImage.OverlayPng(bytes, "photo.jpg", map, size));
        Console.WriteLine(Text(
            $"ResNet-{depth} {size}px, threads {get_num_threads()}: Grad-CAM {cam:F0} ms, plain forward {forward:F0} ms, decode of a 1444x1444 JPEG {decode:F0} ms, overlay PNG {overlay:F0} ms"));
    }
}
