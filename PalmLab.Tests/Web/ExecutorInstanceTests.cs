using Microsoft.Extensions.Options;
using PalmLab.Tests.Support;
using PalmLab.Web.Options;
using PalmLab.Web.Runs;

namespace PalmLab.Tests.Web;

/// <summary>Who a dashboard is to its runs: the same after a restart on its folders, another with folders of its own.</summary>
public sealed class ExecutorInstanceTests
{
    [Fact]
    public void Constructor_NoInstanceId_MakesAnIdOnceAndReadsItBackFromTheCheckpointsFolder()
    {
        using var temp = new TempDir();
        var checkpoints = Path.Combine(temp.Path, "not yet made", "checkpoints");

        var first = new ExecutorInstance(Settings(checkpoints));
        var restarted = new ExecutorInstance(Settings(checkpoints));
        var elsewhere = new ExecutorInstance(Settings(temp.Sub("other checkpoints")));

        Assert.True(ExecutorInstance.IsValid(first.Id), first.Id);
        Assert.Equal(first.Id, File.ReadAllText(Path.Combine(checkpoints, ExecutorInstance.FileName)).Trim());
        Assert.Equal(first.Id, restarted.Id);
        Assert.NotEqual(first.Id, elsewhere.Id);
    }

    [Fact]
    public async Task ReadOrCreate_EightStartsAtOnceOnOneFolder_AllGetTheSameId()
    {
        using var temp = new TempDir();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var starts = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            await go.Task;
            return ExecutorInstance.ReadOrCreate(temp.Path);
        })).ToList();

        go.SetResult();
        var ids = await Task.WhenAll(starts);

        Assert.Single(ids.Distinct());
        Assert.Equal([ExecutorInstance.FileName], Directory.GetFiles(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Constructor_InstanceIdSet_TakesItAndWritesNoFile()
    {
        using var temp = new TempDir();

        var instance = new ExecutorInstance(Settings(temp.Path, "gpu-box-2"));

        Assert.Equal("gpu-box-2", instance.Id);
        Assert.Empty(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void Constructor_FileHoldsNoValidId_SaysWhereToLook()
    {
        using var temp = new TempDir();
        File.WriteAllText(Path.Combine(temp.Path, ExecutorInstance.FileName), "not an id; DROP TABLE");

        var e = Assert.Throws<InvalidOperationException>(() => new ExecutorInstance(Settings(temp.Path)));

        Assert.Contains(ExecutorInstance.FileName, e.Message);
    }

    private static IOptions<PalmLabOptions> Settings(string checkpointsDir, string? instanceId = null) =>
        Microsoft.Extensions.Options.Options.Create(new PalmLabOptions { CheckpointsDir = checkpointsDir, InstanceId = instanceId });
}
