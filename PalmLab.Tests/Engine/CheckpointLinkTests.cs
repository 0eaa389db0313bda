using PalmLab.Engine.Training;
using PalmLab.Tests.Support;

namespace PalmLab.Tests.Engine;

/// <summary>"best.ckpt" is the same file as that epoch's "last.ckpt", not a second copy, and keeps it when "last" moves on.</summary>
public sealed class CheckpointLinkTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Link_ThenLastReplacedByRename_BestKeepsTheLinkedEpoch()
    {
        var (last, best) = (_temp.File("last.ckpt"), _temp.File("best.ckpt"));
        File.WriteAllText(last, "epoch 1");
        File.WriteAllText(best, "epoch 0");

        Checkpoint.Link(last, best);

        Assert.Equal("epoch 1", File.ReadAllText(best));
        // Written where it lies (which nothing in PalmLab does), "last" changes "best" too: one file, two names.
        using (var inPlace = new FileStream(last, FileMode.Open, FileAccess.Write))
        {
            inPlace.Write("EPOCH"u8);
        }
        Assert.Equal("EPOCH 1", File.ReadAllText(best));
        // Replaced by a rename, as every checkpoint write does: "best" keeps the linked epoch.
        File.WriteAllText(_temp.File("next"), "epoch 2");
        File.Move(_temp.File("next"), last, overwrite: true);
        Assert.Equal("EPOCH 1", File.ReadAllText(best));
        Assert.Equal("epoch 2", File.ReadAllText(last));
        Assert.Empty(Directory.GetFiles(_temp.Path, ".*.tmp"));
    }
}
