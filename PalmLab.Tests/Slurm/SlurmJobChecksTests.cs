using PalmLab.Tests.Support;
using PalmLab.Web.Data;
using PalmLab.Web.Slurm;

namespace PalmLab.Tests.Slurm;

/// <summary>What the dashboard checks and says about a job, without a cluster: its command, its size, its output.</summary>
public sealed class SlurmJobChecksTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Outcome_OfAFailedJob_NamesItsOutputFileAndQuotesItsLastLines()
    {
        var output = _temp.File("slurm-17.out");
        File.WriteAllLines(output, ["line one", "line two", "", "line three", "line four", "line five", new string('x', 500),
            $"{_temp.Path}/job.sh: line 9: exec: palmlab: not found"]);

        var (status, message) = SlurmMonitor.Outcome("17", new SlurmJobState("17", "FAILED", "NonZeroExitCode", "vm", "127:0"), output);

        Assert.Equal(RunStatus.Failed, status);
        Assert.Contains($"Its output {output} ends: ", message);
        Assert.EndsWith("exec: palmlab: not found", message);
        Assert.Contains("line three | line four | line five | " + new string('x', 199) + "…", message);
        Assert.DoesNotContain("line two", message);
    }

    [Fact]
    public void Outcome_OfAJobWithoutOutput_SaysWhichFileIsMissing()
    {
        var (_, message) = SlurmMonitor.Outcome("18", new SlurmJobState("18", "FAILED", null, null, "1:0"), "/nowhere/slurm-18.out");

        Assert.Contains("Its output /nowhere/slurm-18.out does not exist", message);
    }

    [Theory]
    [InlineData("PartitionConfig", true)]
    [InlineData("BadConstraints", true)]
    [InlineData("PartitionNodeLimit", true)]
    [InlineData("Resources", false)]
    [InlineData("Priority", false)]
    [InlineData(null, false)]
    public void CanNeverStart_OnlyForReasonsThatNeverClear(string? reason, bool never)
    {
        Assert.Equal(never, new SlurmJobState("5", "PENDING", reason, null).CanNeverStart);
        Assert.False(new SlurmJobState("5", "RUNNING", reason, "vm").CanNeverStart);
    }

    [Fact]
    public void NeverStartsReason_MoreCpusThanTheNodes_SaysWhatTheyHaveAndWhatToChange()
    {
        var limits = SlurmPartitionLimits.Parse("debug*|2|23081\ngpu|8+|64000\n", partition: null);

        var reason = SlurmMonitor.NeverStartsReason("9", new SlurmJobState("9", "PENDING", "PartitionConfig", null), new SlurmResources { Cpus = 4, Memory = "1G" }, limits);

        Assert.Equal(
            "Slurm job 9 can never start (PENDING (PartitionConfig)), so it was cancelled. It asks for 4 CPUs, but the nodes of partition debug have at most 2: "
            + "ask for 2 or fewer. Clone the run with other Slurm resources (or change PalmLab:Slurm's defaults).", reason);
    }

    [Fact]
    public void PartitionLimits_ANamedPartition_TakesItsLargestNodeAndRefusesMoreMemory()
    {
        var limits = SlurmPartitionLimits.Parse("debug*|2|23081\ngpu|8+|64000\ngpu|16|128000\n", partition: "gpu")!;

        Assert.Equal(new SlurmPartitionLimits("gpu", 16, 128000), limits);
        Assert.Null(limits.Problem(new SlurmResources { Cpus = 16, Memory = "125G" }));
        Assert.Contains("200G of memory, but the nodes of partition gpu have at most 128000 MB", limits.Problem(new SlurmResources { Memory = "200G" }));
        Assert.Null(SlurmPartitionLimits.Parse("debug*|2|23081\n", partition: "missing"));
    }

    [Fact]
    public void CommandProblem_ADefaultCommandNotOnThePath_SaysWhatToSet()
    {
        var problem = SlurmCommand.Problem("palmlab", _temp.Sub("empty-bin"));

        Assert.NotNull(problem);
        Assert.StartsWith("PalmLab:Slurm:Command is \"palmlab\", and palmlab is not on the dashboard's PATH", problem);
        Assert.Contains("dotnet /shared/palmlab/palmlab.dll", problem);
    }

    [Fact]
    public void CommandProblem_AProgramOnThePathOrAFullPath_IsNone_AMissingDllOrARelativePathIsOne()
    {
        var bin = _temp.Sub("bin");
        var program = Path.Combine(bin, "palmlab");
        File.WriteAllText(program, "#!/bin/sh\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var dll = _temp.File("palmlab.dll");
        File.WriteAllText(dll, "");

        Assert.Null(SlurmCommand.Problem("palmlab", bin));
        Assert.Null(SlurmCommand.Problem(program, null));
        Assert.Null(SlurmCommand.Problem($"{program} {dll}", null));
        Assert.Contains("/missing/palmlab.dll, which does not exist", SlurmCommand.Problem($"{program} /missing/palmlab.dll", null));
        Assert.Contains("a relative path", SlurmCommand.Problem("bin/palmlab", bin));
        Assert.Contains("does not exist or is not executable", SlurmCommand.Problem("/missing/palmlab", null));
    }
}
