using PalmLab.Engine.Runtime;
using static PalmLab.Bench.Timing;
using static TorchSharp.torch;

namespace PalmLab.Bench;

/// <summary>`peak [n=4096] [runs=5]`: median n x n fp32 matrix product through libtorch on all cores, the machine's peak GFLOP/s.</summary>
public static class PeakBench
{
    public static void Run(string[] args)
    {
        int n = Arg(args, 0, 4096), runs = Arg(args, 1, 5);
        TorchRuntime.Initialize();
        using var a = randn(n, n);
        using var b = randn(n, n);
        var milliseconds = Median(runs, () =>
        {
            using var product = a.matmul(b);
            product[0, 0].item<float>();
        });
        Console.WriteLine(Text(
            $"matmul {n}x{n} fp32, threads {get_num_threads()}: {milliseconds:F0} ms, {2.0 * n * n * n / milliseconds / 1e6:F1} GFLOP/s"));
    }
}
