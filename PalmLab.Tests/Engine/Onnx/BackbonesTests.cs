using PalmLab.Engine;
using PalmLab.Engine.Backbones;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PalmLab.Tests.Engine.Onnx;

public class BackbonesTests
{
    [Fact]
    public void Load_ImageNetResNet18_HasTheFilesWeightsAndATrainableFreshHead()
    {
        torch.manual_seed(5);
        using var model = Backbones.Load(Backbones.ImageNetResNet18, null);
        torch.manual_seed(5);
        using var again = Backbones.Load(Backbones.ImageNetResNet18, null);
        torch.manual_seed(6);
        using var other = Backbones.Load(Backbones.ImageNetResNet18, null);
        var imported = PalmLab.Engine.Onnx.OnnxResNetImporter.Read(Path.Combine(Backbones.BuiltInDir, Backbones.BuiltInFile));
        var state = model.state_dict();

        Assert.Equal(imported.Weights["layer4.2.conv2.weight"].Values, state["layer4.2.conv2.weight"].data<float>().ToArray());
        Assert.Equal(imported.Weights["layer2.0.downsample.1.running_var"].Values, state["layer2.0.downsample.1.running_var"].data<float>().ToArray());
        Assert.True(model.Architecture.SameShape(Backbones.ArchitectureOf(Backbones.ImageNetResNet18, null)!));
        Assert.NotNull(model.Architecture.Input);
        // The head comes from torch's generator: the same seed gives the same head, another seed another one.
        Assert.True(Same(state["fc.weight"], again.state_dict()["fc.weight"]));
        Assert.False(Same(state["fc.weight"], other.state_dict()["fc.weight"]));
        Assert.All(model.parameters(), p => Assert.True(p.requires_grad));
    }

    [Fact]
    public void Load_GivesEachCallerItsOwnNetwork_AndOneTrainingStepMovesWeightsAndStatistics()
    {
        torch.manual_seed(1);
        using var model = Backbones.Load(Backbones.ImageNetResNet18, null);
        using var untouched = Backbones.Load(Backbones.ImageNetResNet18, null);
        var before = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        model.train();
        using var optimizer = optim.SGD(model.parameters(), 0.01);
        using (var scope = NewDisposeScope())
        {
            var images = rand(4, 3, 64, 64) * 2 - 1;
            var loss = nn.functional.binary_cross_entropy_with_logits(model.call(images), tensor(new float[] { 1, 0, 1, 0 }, [4, 1]));
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }
        var after = model.state_dict();

        foreach (var key in new[] { "conv1.weight", "layer1.0.conv1.weight", "layer4.2.bn2.weight", "fc.weight", "bn1.running_mean", "layer3.0.downsample.1.running_var" })
        {
            Assert.False(Same(before[key], after[key]), $"{key} did not change in a training step");
            if (key != "fc.weight")
            {
                // The same pretrained weights were handed to both; the step changed only this caller's copy.
                Assert.True(Same(before[key], untouched.state_dict()[key]), $"{key} changed in another caller's network");
            }
        }
        Assert.Equal(1L, after["bn1.num_batches_tracked"].item<long>());
    }

    [Fact]
    public void Available_ListsBuiltInsAndSafeOnnxFileNames_AndLoadRefusesTheRest()
    {
        using var dir = new Support.TempDir();
        File.WriteAllBytes(Path.Combine(dir.Path, "my-net_v1.2.onnx"), TorchvisionOnnx.Build(18, seed: 1));
        File.WriteAllBytes(Path.Combine(dir.Path, "bad name.onnx"), [1, 2, 3]);
        File.WriteAllText(Path.Combine(dir.Path, "notes.txt"), "not a model");

        Assert.Equal([Backbones.Scratch, Backbones.ImageNetResNet18, "my-net_v1.2"], Backbones.Available(dir.Path));
        Assert.Equal([Backbones.Scratch, Backbones.ImageNetResNet18], Backbones.Available(null));
        Assert.Equal(18, Backbones.ArchitectureOf("my-net_v1.2", dir.Path)!.Depth);
        Assert.Same(Backbones.TorchvisionImageNet, Backbones.ArchitectureOf("my-net_v1.2", dir.Path)!.Input);
        Assert.Null(Backbones.ArchitectureOf(Backbones.Scratch, dir.Path));

        var unknown = Assert.Throws<PalmLabException>(() => Backbones.Load("resnet99", dir.Path));
        Assert.Equal("Unknown backbone 'resnet99': use one of scratch, resnet18-imagenet, my-net_v1.2.", unknown.Message);
        Assert.Throws<PalmLabException>(() => Backbones.Load("bad name", dir.Path));
        Assert.Throws<PalmLabException>(() => Backbones.Load("../" + Path.GetFileName(dir.Path) + "/my-net_v1.2", Path.Combine(dir.Path, "sub")));
        Assert.Contains("no pretrained weights", Assert.Throws<PalmLabException>(() => Backbones.Load(Backbones.Scratch, dir.Path)).Message);
    }

    [Fact]
    public void TorchvisionImageNet_MapsPalmLabsImagesToImageNetsNormalisation()
    {
        var t = Backbones.TorchvisionImageNet;
        float[] mean = [0.485f, 0.456f, 0.406f], std = [0.229f, 0.224f, 0.225f];

        for (var c = 0; c < 3; c++)
        {
            foreach (var x in new[] { -1f, 0f, 0.5f, 1f })
            {
                Assert.Equal(((x + 1) / 2 - mean[c]) / std[c], x * t.Scale[c] + t.Shift[c], 1e-5);
            }
        }
        Assert.Equal([0, 1, 2], t.ChannelOrder);
    }

    private static bool Same(Tensor a, Tensor b) => a.data<float>().ToArray().SequenceEqual(b.data<float>().ToArray());
}
