using System.Text.RegularExpressions;
using PalmLab.Tests.Support;

namespace PalmLab.Tests.Engine;

/// <summary>
/// TorchSharp hands libtorch a Scalar's bare handle and does not keep the object alive for the call, so a collection on
/// another thread could finalize a Scalar that libtorch was reading (issue 21: a run failed in epoch 3 with "Expected
/// false to be true ... toFloat" from THSTensor_add_). The steps run in a child process: a freed Scalar may also crash.
/// </summary>
public sealed partial class TrainingScalarStressTests
{
    private const int Steps = 60;

    [Fact]
    public void StressScalars_TrainingStepsWhileCollectionsAndFinalizersRun_AllStepsSucceed()
    {
        // Without tiering every method runs optimised from its first call, as the optimizer's step does in a long run:
        // tier-0 code keeps a method's arguments alive to its end, which hid the bug for the first few dozen steps.
        var result = CliProcess.Run(new Dictionary<string, string> { ["DOTNET_TieredCompilation"] = "0" }, "stress-scalars", "--steps", $"{Steps}");

        Assert.True(result.ExitCode == 0, $"palmlab stress-scalars exited with {result.ExitCode}:\n{result.StdErr}");
        var summary = Summary().Match(result.StdOut);
        Assert.True(summary.Success, $"no summary in the output:\n{result.StdOut}");
        Assert.Equal(Steps, int.Parse(summary.Groups["steps"].Value));
        Assert.True(long.Parse(summary.Groups["collections"].Value) > 0, "no collection ran beside the steps");
    }

    [GeneratedRegex(@"ok: (?<steps>\d+) steps, (?<collections>\d+) concurrent collections")]
    private static partial Regex Summary();
}
