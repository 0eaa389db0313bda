using System.Diagnostics;
using PalmLab.Tests.Engine;
using PalmLab.Tests.Support;

namespace PalmLab.Tests.Cli;

/// <summary>
/// On a CPU that NNPACK does not support, libtorch 2.10 logged "Could not initialize NNPACK! Reason: Unsupported
/// hardware." for every convolution it considered NNPACK for (issue 21: 1,350 of a job's 1,354 output lines).
/// </summary>
public sealed class NnpackWarningTests(TrainingFixture data) : IClassFixture<TrainingFixture>
{
    [Fact]
    public void Train_OnACpuNnpackRejects_PrintsNoNnpackWarning()
    {
        using var temp = new TempDir();
        // The machines here have AVX2, where NNPACK starts: a preloaded nnp_initialize answers as a CPU without it does.
        var shim = UnsupportedHardwareShim(temp);

        var train = CliProcess.Run(new Dictionary<string, string> { ["LD_PRELOAD"] = shim },
            "train", "--train-dir", data.TrainDir, "--depth", "18", "--image-size", "32", "--batch-size", "2", "--epochs", "1",
            "--threads", "1", "--device", "cpu", "--no-cache", "--out", data.NewOutputDir());

        Assert.True(train.ExitCode == 0, train.StdErr);
        Assert.StartsWith("epoch 1/1  loss ", train.StdOut);
        var output = train.StdOut + train.StdErr;
        Assert.True(!output.Contains("NNPACK", StringComparison.Ordinal), $"NNPACK lines in the output:\n{train.StdErr}");
    }

    // nnp_initialize is exported by libtorch_cpu.so and called through its PLT, so a preloaded one takes its place;
    // 51 is nnp_status_unsupported_hardware.
    private static string UnsupportedHardwareShim(TempDir temp)
    {
        var source = temp.File("nnpack-unsupported.c");
        var library = temp.File("libnnpack-unsupported.so");
        File.WriteAllText(source, "int nnp_initialize(void) { return 51; }\n");
        var start = new ProcessStartInfo("cc") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-shared", "-fPIC", "-o", library, source })
        {
            start.ArgumentList.Add(arg);
        }
        using var compiler = Process.Start(start)!;
        var errors = compiler.StandardError.ReadToEndAsync();
        Assert.True(compiler.WaitForExit(TimeSpan.FromMinutes(1)), "cc did not compile the NNPACK shim within a minute");
        Assert.True(compiler.ExitCode == 0, $"cc failed on the NNPACK shim: {errors.Result}");
        return library;
    }
}
