using PalmLab.Engine;
using PalmLab.Engine.Data;
using PalmLab.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace PalmLab.Tests.Engine;

public class ImageDecoderTests
{
    [Fact]
    public void Decode_SolidColour_ScalesToMinusOneOnePerChannelInChwOrder()
    {
        using var temp = new TempDir();
        var path = temp.File("N0001.png");
        using (var image = new Image<Rgb24>(10, 6, new Rgb24(255, 0, 51)))
        {
            image.SaveAsPng(path);
        }

        var values = ImageDecoder.Decode(path, 4);

        Assert.Equal(3 * 16, values.Length);
        Assert.All(values[..16], v => Assert.Equal(1f, v, 5));
        Assert.All(values[16..32], v => Assert.Equal(-1f, v, 5));
        Assert.All(values[32..], v => Assert.Equal(51 / 255f * 2 - 1, v, 5));
    }

    [Fact]
    public void Decode_GreyscaleAndPng_AreAcceptedAsRgb()
    {
        using var temp = new TempDir();
        var path = temp.File("P0001.png");
        using (var image = new Image<L8>(8, 8, new L8(255)))
        {
            image.SaveAsPng(path);
        }

        Assert.All(ImageDecoder.Decode(path, 8), v => Assert.Equal(1f, v, 5));
    }

    [Fact]
    public void Decode_ManyFrameGif_DecodesOnlyTheFirstFrame()
    {
        using var temp = new TempDir();
        var path = temp.File("P0001.gif");
        using (var gif = new Image<Rgb24>(8, 8, new Rgb24(255, 255, 255)))
        {
            for (var i = 0; i < 40; i++)
            {
                using var frame = new Image<Rgb24>(8, 8, new Rgb24(0, 0, 0));
                gif.Frames.AddFrame(frame.Frames.RootFrame);
            }
            gif.SaveAsGif(path);
        }

        Assert.All(ImageDecoder.Decode(path, 4), v => Assert.Equal(1f, v, 2));
    }

    [Fact]
    public void Decode_NotAnImage_NamesTheFile()
    {
        using var temp = new TempDir();
        var path = temp.File("P0001.jpg");
        File.WriteAllText(path, "this is not a JPEG at all");

        var error = Assert.Throws<PalmLabException>(() => ImageDecoder.Decode(path, 8));

        Assert.StartsWith(path, error.Message);
        Assert.Contains("not a readable image", error.Message);
    }

    [Fact]
    public void Decode_TruncatedJpeg_IsRefusedNotFilledWithGrey()
    {
        using var temp = new TempDir();
        var whole = temp.File("whole.jpg");
        using (var image = TestImages.Make(1, 64, new Random(1)))
        {
            image.SaveAsJpeg(whole);
        }
        var bytes = File.ReadAllBytes(whole);
        var cut = temp.File("P0002.jpg");
        File.WriteAllBytes(cut, bytes[..(bytes.Length * 2 / 3)]);

        Assert.Equal(3 * 64, ImageDecoder.Decode(whole, 8).Length);
        var error = Assert.Throws<PalmLabException>(() => ImageDecoder.Decode(cut, 8));
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void Decode_EmptyFile_SaysEmpty()
    {
        using var temp = new TempDir();
        var path = temp.File("N0001.jpg");
        File.WriteAllBytes(path, []);

        Assert.Contains("empty", Assert.Throws<PalmLabException>(() => ImageDecoder.Decode(path, 8)).Message);
    }

    [Fact]
    public void Load_SeveralBadFiles_NamesEachInOneError()
    {
        using var temp = new TempDir();
        var folder = TestImages.WriteTrainingFolder(temp.Sub("train"), 2, 0, 2);
        File.WriteAllText(Path.Combine(folder, "N0009.jpg"), "junk");
        File.WriteAllBytes(Path.Combine(folder, "P0009.png"), [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        var list = DatasetReader.ReadTrainingFolder(folder);

        var error = Assert.Throws<PalmLabException>(() => ImageTensorSet.Load(list.Images, 16, "train"));

        Assert.Contains("2 train image(s) cannot be used", error.Message);
        Assert.Contains("N0009.jpg", error.Message);
        Assert.Contains("P0009.png", error.Message);
    }

    [Fact]
    public void Load_GoodFolder_ReportsProgressAndShapes()
    {
        using var temp = new TempDir();
        var list = DatasetReader.ReadTrainingFolder(TestImages.WriteTrainingFolder(temp.Sub("train"), 20, 5, 25));
        var reports = new List<DataLoadProgress>();

        using var set = ImageTensorSet.Load(list.Images, 16, "train", new InlineProgress<DataLoadProgress>(reports.Add));

        Assert.Equal([50L, 3L, 16L, 16L], set.Images.shape);
        Assert.Equal(25f, set.Labels.sum().item<float>());
        Assert.Contains(new DataLoadProgress("train", 50, 50), reports);
    }

    [Fact]
    public void DecodeInto_FileFarLargerThanItsImage_ReadsItWithoutHoldingItWhole()
    {
        using var temp = new TempDir();
        var small = Directory.GetFiles(TestImages.WriteTrainingFolder(temp.Sub("train"), 1, 0, 1)).Order(StringComparer.Ordinal).First();
        // A whole JPEG followed by 32 MiB of zeros, as a hostile "jpg" might be: the decoder stops at its end-of-image marker.
        var large = temp.File("N0002.jpg");
        using (var output = File.Create(large))
        {
            output.Write(File.ReadAllBytes(small));
            output.Write(new byte[32 << 20]);
        }
        var expected = ImageDecoder.Decode(small, 16);
        var values = new float[3 * 16 * 16];

        var before = GC.GetAllocatedBytesForCurrentThread();
        ImageDecoder.DecodeInto(large, 16, values);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(expected, values);
        Assert.True(allocated < 8 << 20, $"{allocated:N0} bytes allocated to decode a 32 MiB file of a 32 px image");
    }
}
