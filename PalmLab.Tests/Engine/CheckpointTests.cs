using PalmLab.Engine;
using PalmLab.Engine.Models;
using PalmLab.Engine.Training;
using PalmLab.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace PalmLab.Tests.Engine;

public class CheckpointTests
{
    private static CheckpointHeader Header(int depth) =>
        new(new TrainingConfig { Options = new() { Depth = depth }, TrainDir = "/d" }, 3, 30, 0.9, 0.8, null, DateTimeOffset.UnixEpoch);

    [Fact]
    public void SaveThenLoad_ModelAndOptimizer_RoundTripBitForBit()
    {
        using var temp = new TempDir();
        var path = temp.File("last.ckpt");
        manual_seed(1);
        using var model = new ResNet(18);
        using var optimizer = optim.SGD(model.parameters(), 0.01, momentum: 0.9);
        using (var scope = NewDisposeScope())
        {
            var loss = model.call(randn(4, 3, 32, 32)).sum();
            loss.backward();
            optimizer.step();
        }

        Checkpoint.Save(path, Header(18), model, optimizer);
        manual_seed(2);
        using var restored = new ResNet(18);
        using var restoredOptimizer = optim.SGD(restored.parameters(), 0.01, momentum: 0.9);
        var header = Checkpoint.Load(path, restored, restoredOptimizer);

        Assert.Equal(3, header.Epoch);
        var expected = model.state_dict();
        foreach (var (key, value) in restored.state_dict())
        {
            Assert.True(value.eq(expected[key]).all().item<bool>(), $"{key} differs after reload");
        }
        var savedMomentum = optimizer.state_dict().State.Cast<TorchSharp.Modules.SGD.State>().Select(s => s.momentum_buffer).ToList();
        var loadedMomentum = restoredOptimizer.state_dict().State.Cast<TorchSharp.Modules.SGD.State>().Select(s => s.momentum_buffer).ToList();
        Assert.All(savedMomentum.Zip(loadedMomentum), p => Assert.True(p.First.eq(p.Second).all().item<bool>()));
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
    }

    [Fact]
    public void ReadHeader_RunIdentityInTheConfiguration_IsWrittenAndReadBack()
    {
        using var temp = new TempDir();
        using var model = new ResNet(18);
        var uid = Guid.NewGuid();
        Checkpoint.Save(temp.File("run.ckpt"), Header(18) with { Config = Header(18).Config with { RunUid = uid } }, model, null);
        Checkpoint.Save(temp.File("cli.ckpt"), Header(18), model, null);

        Assert.Equal(uid, Checkpoint.ReadHeader(temp.File("run.ckpt")).RunUid);
        Assert.Null(Checkpoint.ReadHeader(temp.File("cli.ckpt")).RunUid);
    }

    [Fact]
    public void Load_CheckpointOfAnotherDepth_SaysWhichDepthItHolds()
    {
        using var temp = new TempDir();
        var path = temp.File("r18.ckpt");
        using var model = new ResNet(18);
        Checkpoint.Save(path, Header(18), model, null);
        using var other = new ResNet(34);

        var error = Assert.Throws<PalmLabException>(() => Checkpoint.Load(path, other));

        Assert.Contains("holds a ResNet-18, not the ResNet-34", error.Message);
    }

    [Fact]
    public void ReadHeader_NotACheckpoint_SaysSo()
    {
        using var temp = new TempDir();
        var path = temp.File("x.ckpt");
        File.WriteAllText(path, "hello");

        Assert.Contains("not a PalmLab checkpoint", Assert.Throws<PalmLabException>(() => Checkpoint.ReadHeader(path)).Message);
        Assert.Contains("does not exist", Assert.Throws<PalmLabException>(() => Checkpoint.ReadHeader(temp.File("none.ckpt"))).Message);
    }

    [Fact]
    public void Save_UnwritableFolder_FailsClearlyAndKeepsThePreviousFile()
    {
        using var temp = new TempDir();
        var path = temp.File("last.ckpt");
        using var model = new ResNet(18);
        Checkpoint.Save(path, Header(18), model, null);
        var before = File.ReadAllBytes(path);
        var blocked = Path.Combine(temp.File("not-a-folder"), "last.ckpt");
        File.WriteAllText(temp.File("not-a-folder"), "a file where a folder should be");

        var error = Assert.Throws<PalmLabException>(() => Checkpoint.Save(blocked, Header(18), model, null));

        Assert.Contains("Cannot write checkpoint", error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
    }
}
