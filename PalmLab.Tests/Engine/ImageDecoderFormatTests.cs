using PalmLab.Engine;
using PalmLab.Engine.Data;
using PalmLab.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using Xunit.Abstractions;

namespace PalmLab.Tests.Engine;

/// <summary>The image files people actually have: rotated phone photos, print-ready CMYK, greyscale, transparency, and hostile headers.</summary>
public class ImageDecoderFormatTests(ITestOutputHelper output)
{
    [Fact]
    public void DecodeInto_JpegWithOrientation6_IsTurnedUprightBeforeResizing()
    {
        // Stored 16 wide x 8 high, red on the left and blue on the right; orientation 6 shows it turned a quarter clockwise,
        // 8 wide x 16 high, with the stored left side at the top.
        var bytes = TestPictures.SidewaysJpeg();

        var values = new float[3 * 8 * 8];
        ImageDecoder.DecodeInto(bytes, 8, values, "phone.jpg");

        Assert.Equal((8, 16), ImageDecoder.Verify(bytes, "phone.jpg"));
        const int blue = 128;
        for (var x = 0; x < 8; x++)
        {
            Assert.True(values[1 * 8 + x] > 0.5f && values[blue + 1 * 8 + x] < -0.5f, $"row 1, column {x} should be red");
            Assert.True(values[6 * 8 + x] < -0.5f && values[blue + 6 * 8 + x] > 0.5f, $"row 6, column {x} should be blue");
        }
    }

    [Fact]
    public void DecodeInto_GreyscaleJpeg_GivesEqualChannels()
    {
        using var image = new Image<L8>(16, 16, new L8(200));
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream, new JpegEncoder { ColorType = JpegColorType.Luminance, Quality = 95 });

        var values = new float[3 * 4 * 4];
        ImageDecoder.DecodeInto(stream.ToArray(), 4, values, "grey.jpg");

        Assert.All(values, v => Assert.Equal(200 / 255f * 2 - 1, v, 1));
    }

    [Fact]
    public void DecodeInto_CmykJpeg_GivesItsRgbColour()
    {
        var values = new float[3 * 4 * 4];
        ImageDecoder.DecodeInto(TestPictures.CyanCmykJpeg(), 4, values, "print.jpg");

        Assert.All(values.AsSpan(0, 16).ToArray(), v => Assert.Equal(-1f, v, 1));
        Assert.All(values.AsSpan(16).ToArray(), v => Assert.Equal(1f, v, 1));
    }

    [Fact]
    public void DecodeInto_PngWithAlpha_PutsTransparentPartsOverBlack()
    {
        // Transparent pixels that hold white: dropping alpha would show them white.
        using var image = new Image<Rgba32>(8, 8, new Rgba32(255, 255, 255, 0));
        for (var y = 0; y < 8; y++)
        {
            for (var x = 0; x < 4; x++)
            {
                image[x, y] = new Rgba32(255, 0, 0, 255);
            }
        }
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);

        var values = new float[3 * 8 * 8];
        ImageDecoder.DecodeInto(stream.ToArray(), 8, values, "cut-out.png");

        Assert.Equal(1f, values[3 * 8 + 1], 2);
        Assert.All(new[] { values[3 * 8 + 6], values[64 + 3 * 8 + 6], values[128 + 3 * 8 + 6] }, v => Assert.Equal(-1f, v, 2));
    }

    [Fact]
    public void DecodeInto_30000x30000PngBomb_IsRefusedFromItsHeaderWithoutDecoding()
    {
        var bomb = TestPictures.ForgedPng(30_000, 30_000);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<PalmLabException>(() => ImageDecoder.DecodeInto(bomb, 64, new float[3 * 64 * 64], "bomb.png"));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"{bomb.Length} bytes of PNG refused after {allocated / 1024} KiB allocated: {error.Message}");
        Assert.Contains("bomb.png: 30000x30000 pixels is larger than", error.Message);
        // Decoding would need 2.7 GB for the pixels alone.
        Assert.True(allocated < 16 << 20, $"{allocated} bytes allocated while refusing it");
    }

    [Theory]
    [InlineData(new byte[0], "the file is empty")]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13 }, "not a readable image")]
    [InlineData(new byte[] { (byte)'%', (byte)'P', (byte)'D', (byte)'F', (byte)'-', (byte)'1' }, "not a readable image")]
    public void LoadUpright_EmptyTruncatedOrNotAnImage_SaysWhatIsWrong(byte[] bytes, string expected)
    {
        var error = Assert.Throws<PalmLabException>(() => ImageDecoder.LoadUpright(bytes, "upload.png"));

        Assert.StartsWith("upload.png: ", error.Message);
        Assert.Contains(expected, error.Message);
    }
}
