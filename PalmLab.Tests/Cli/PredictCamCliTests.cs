using PalmLab.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace PalmLab.Tests.Cli;

[Collection(CheckpointCollection.Name)]
public class PredictCamCliTests(CheckpointFixture trained)
{
    [Fact]
    public void Predict_WithCam_WritesAnOverlayPerImageUnderASafeUniqueNameAndSaysWhere()
    {
        using var temp = new TempDir();
        var first = Path.Combine(trained.Data.ValidDir, "V0001.jpg");
        // The same file name in another folder, with a name no file system should be handed back unchanged.
        var second = Path.Combine(temp.Sub("other"), "V0001.jpg");
        File.Copy(Path.Combine(trained.Data.ValidDir, "V0002.jpg"), second);
        var odd = Path.Combine(temp.Path, "eye #3 (left).png");
        using (var image = Image.Load<Rgb24>(first))
        {
            image.SaveAsPng(odd);
        }
        var camDir = Path.Combine(temp.Path, "cams");
        var broken = temp.File("broken.jpg");
        File.WriteAllText(broken, "not an image");

        var result = CliProcess.Run("predict", "--checkpoint", trained.Checkpoint, "--device", "cpu", "--cam", camDir, first, second, odd, broken);

        CliAssert.FailsWithOneLine(result, 1, broken);
        var expected = new[] { (first, "V0001.png"), (second, "V0001-2.png"), (odd, "eye__3__left_.png") };
        Assert.Equal(expected.Select(e => e.Item2).Order(), Directory.GetFiles(camDir).Select(Path.GetFileName).Order());
        foreach (var (input, name) in expected)
        {
            var overlay = Path.Combine(camDir, name);
            // Which class the map explains: the label printed for that image on stdout.
            var label = result.StdOut.Split('\n').Single(l => l.EndsWith($"\t{input}", StringComparison.Ordinal)).Split('\t')[1];
            var explains = label == "1" ? "pathologic myopia" : "not pathologic";
            Assert.Contains($"Grad-CAM of {input}: {overlay} (evidence for {explains})", result.StdErr);
            using var png = Image.Load<Rgb24>(overlay);
            Assert.Equal((40, 40), (png.Width, png.Height));
        }
        // The model line, the header and a row per image.
        Assert.Equal(5, result.StdOut.Trim().Split('\n').Length);
    }
}
