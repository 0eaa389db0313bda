using PalmLab.Engine;
using PalmLab.Engine.Inference;
using PalmLab.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace PalmLab.Tests.Engine;

public class CamImageTests
{
    // A 4x4 map, hot in its top-left quarter only.
    private static readonly float[] HotTopLeft = [1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    [Fact]
    public void HeatMapPng_AnySize_IsAnRgbaPngOfThatSizeRedAndOpaqueWhereHot()
    {
        var png = CamImage.HeatMapPng(HotTopLeft, 4, 40, 20);

        using var image = Image.Load<Rgba32>(png);
        Assert.Equal((40, 20), (image.Width, image.Height));
        var (hot, cold) = (image[2, 2], image[37, 17]);
        Assert.True(hot.R > 100 && hot.B < 50 && hot.A == 255, $"hot corner {hot}");
        Assert.True(cold.B > cold.R && cold.A < 100, $"cold corner {cold}");
    }

    [Fact]
    public void PreviewPng_LargeImage_IsScaledToTheLongestSideAndKeepsItsShape()
    {
        using var source = new Image<Rgb24>(300, 150, new Rgb24(10, 200, 30));
        using var stream = new MemoryStream();
        source.SaveAsJpeg(stream);

        var png = CamImage.PreviewPng(stream.ToArray(), "wide.jpg", 100);

        Assert.Equal(Convert.FromHexString("89504E47"), png[..4]);
        using var preview = Image.Load<Rgb24>(png);
        Assert.Equal((100, 50), (preview.Width, preview.Height));
    }

    [Fact]
    public void PreviewPng_JpegWithOrientation6_IsShownUpright()
    {
        var png = CamImage.PreviewPng(TestPictures.SidewaysJpeg(), "phone.jpg", 64);

        using var preview = Image.Load<Rgb24>(png);
        Assert.Equal((8, 16), (preview.Width, preview.Height));
        Assert.True(preview[4, 2].R > 200 && preview[4, 2].B < 60, $"top {preview[4, 2]} should be red");
        Assert.True(preview[4, 13].B > 200 && preview[4, 13].R < 60, $"bottom {preview[4, 13]} should be blue");
    }

    [Fact]
    public void OverlayPng_HotQuarter_TintsOnlyThatQuarterRed()
    {
        using var source = new Image<Rgb24>(64, 64, new Rgb24(128, 128, 128));
        using var stream = new MemoryStream();
        source.SaveAsPng(stream);

        var png = CamImage.OverlayPng(stream.ToArray(), "grey.png", HotTopLeft, 4, opacity: 0.6);

        using var overlay = Image.Load<Rgb24>(png);
        Assert.Equal((64, 64), (overlay.Width, overlay.Height));
        var (hot, cold) = (overlay[4, 4], overlay[60, 60]);
        Assert.True(hot.R > 150 && hot.B < 110, $"hot quarter {hot}");
        Assert.True(cold.B > cold.R && Math.Abs(cold.G - 128) < 40, $"cold quarter {cold} should stay near grey, a little blue");
    }

    [Fact]
    public void OverlayPng_NotAnImageOrAWrongMap_SaysSo()
    {
        Assert.Contains("notes.png: not a readable image", Assert.Throws<PalmLabException>(() => CamImage.OverlayPng("hello"u8.ToArray(), "notes.png", HotTopLeft, 4)).Message);
        Assert.Throws<ArgumentException>(() => CamImage.HeatMapPng(HotTopLeft, 3, 10, 10));
    }
}
