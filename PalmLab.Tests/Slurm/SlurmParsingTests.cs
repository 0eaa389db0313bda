using PalmLab.Web.Api;
using PalmLab.Web.Data;
using PalmLab.Web.Slurm;

namespace PalmLab.Tests.Slurm;

public sealed class SlurmParsingTests
{
    [Fact]
    public void ParseSqueue_ReadsEachJobsStateReasonAndNode()
    {
        var states = SlurmJobState.ParseSqueue("12|RUNNING|None|node1\n13|PENDING|Resources|\n").ToList();

        Assert.Equal(new SlurmJobState("12", "RUNNING", "None", "node1"), states[0]);
        Assert.Equal(new SlurmJobState("13", "PENDING", "Resources", null), states[1]);
        Assert.True(states[1].IsActive);
        Assert.Equal("RUNNING on node1", states[0].Describe());
        Assert.Equal("PENDING (Resources)", states[1].Describe());
    }

    [Fact]
    public void ParseScontrol_ReadsAnEndedJob()
    {
        var state = SlurmJobState.ParseScontrol("JobId=7 JobName=palmlab-run-3 JobState=TIMEOUT Reason=TimeLimit Dependency=(null) ExitCode=0:15 NodeList=gpu2");

        Assert.Equal(new SlurmJobState("7", "TIMEOUT", "TimeLimit", "gpu2", "0:15"), state);
        Assert.False(state!.IsActive);
    }

    [Fact]
    public void ParseSacct_TakesTheFirstWordOfTheStateAndTheCompletionLogToo()
    {
        Assert.Equal("CANCELLED", SlurmJobState.ParseSacct("9|CANCELLED by 0|None|0:0|node1\n", "9")!.State);
        Assert.Null(SlurmJobState.ParseSacct("9|FAILED|None|1:0|node1\n", "10"));
        Assert.Equal(new SlurmJobState("4", "COMPLETED", null, "vm"), SlurmJobState.ParseCompletion("4|COMPLETED|vm\n", "4"));
    }

    [Theory]
    [InlineData("CANCELLED", RunStatus.Cancelled, "cancelled in Slurm")]
    [InlineData("TIMEOUT", RunStatus.Interrupted, "time limit")]
    [InlineData("PREEMPTED", RunStatus.Interrupted, "stopped by the cluster")]
    [InlineData("OUT_OF_MEMORY", RunStatus.Failed, "out of memory")]
    [InlineData("FAILED", RunStatus.Failed, "failed")]
    [InlineData("COMPLETED", RunStatus.Failed, "without reporting")]
    public void Outcome_OfAJobThatEndedWithoutReporting_GivesTheStatusAndSlurmsReason(string state, RunStatus status, string reason)
    {
        var (actual, message) = SlurmMonitor.Outcome("42", new SlurmJobState("42", state, null, "node1", "1:0"), "/nowhere/slurm-42.out");

        Assert.Equal(status, actual);
        Assert.Contains(reason, message);
        Assert.Contains("Slurm job 42", message);
    }

    [Fact]
    public void Script_AsksForTheRunsResourcesOverTheDefaults_AndRunsPalmlabJob()
    {
        var options = new SlurmOptions { ServerUrl = "http://head:5180", Command = "/shared/palmlab/palmlab", Partition = "cpu", Memory = "8G", Cpus = 4 };
        var resources = new SlurmResources { Partition = "gpu", Gpus = 2 }.Over(options);

        var script = SlurmJobScript.Write(7, options, resources, "/shared/slurm/run-7", "/shared/slurm/run-7/token");

        Assert.Contains("#SBATCH --partition=gpu", script);
        Assert.Contains("#SBATCH --gres=gpu:2", script);
        Assert.Contains("#SBATCH --mem=8G", script);
        Assert.Contains("#SBATCH --cpus-per-task=4", script);
        Assert.DoesNotContain("--time", script);
        Assert.Contains("exec /shared/palmlab/palmlab job --server 'http://head:5180' --run 7 --token-file '/shared/slurm/run-7/token'", script);
    }

    [Theory]
    [InlineData("gpu", 1, 8, "32G", "04:00:00", 0)]
    [InlineData("gpu partition", -1, 0, "lots", "soon", 5)]
    public void ResourceRules_RefuseWhatSbatchWouldRefuse(string partition, int gpus, int cpus, string memory, string time, int problems)
    {
        var errors = SlurmResourceRules.Check(new SlurmResources { Partition = partition, Gpus = gpus, Cpus = cpus, Memory = memory, TimeLimit = time });

        Assert.Equal(problems, errors.Count());
    }

    [Fact]
    public void NodePath_MapsAFolderUnderTheDashboardsRootToTheNodesMount()
    {
        Assert.Equal("/mnt/shared/ckpt/run-3", JobsApi.NodePath("/data/ckpt/run-3", "/data/ckpt", "/mnt/shared/ckpt"));
        Assert.Equal("/data/ckpt/run-3", JobsApi.NodePath("/data/ckpt/run-3", "/data/ckpt", null));
        Assert.Equal("/elsewhere/x", JobsApi.NodePath("/elsewhere/x", "/data/ckpt", "/mnt/shared/ckpt"));
    }
}
