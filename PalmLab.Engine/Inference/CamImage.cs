using PalmLab.Engine.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace PalmLab.Engine.Inference;

/// <summary>Pictures of a Grad-CAM heat map: on its own, the image it explains, and the two blended (all PNG).</summary>
public static class CamImage
{
    private static readonly PngEncoder Encoder = new() { CompressionLevel = PngCompressionLevel.BestSpeed };

    /// <summary>
    /// The heat map coloured with the turbo colour map (low = faint, mostly transparent blue; high = opaque red), as an RGBA
    /// PNG of <paramref name="width"/> x <paramref name="height"/> (bilinear upsampling of the map).
    /// </summary>
    public static byte[] HeatMapPng(float[] heatMap, int size, int width, int height)
    {
        CheckMap(heatMap, size);
        CheckSide(width, nameof(width));
        CheckSide(height, nameof(height));
        using var image = new Image<Rgba32>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var (r, g, b, a) = Colour(Sample(heatMap, size, x, y, width, height));
                    row[x] = new Rgba32(r, g, b, a);
                }
            }
        });
        return Encode(image);
    }

    /// <summary>
    /// The image as a photo viewer shows it (EXIF orientation applied), scaled so its longest side is at most
    /// <paramref name="maxSide"/>, re-encoded as PNG (never the uploaded bytes as they came). Throws a
    /// <see cref="PalmLabException"/> naming <paramref name="name"/> when the image is unusable.
    /// </summary>
    public static byte[] PreviewPng(byte[] imageBytes, string name, int maxSide)
    {
        using var image = Preview(imageBytes, name, maxSide);
        return Encode(image);
    }

    /// <summary>The preview with the heat map blended over it at <paramref name="opacity"/> (what <c>palmlab predict --cam DIR</c> writes).</summary>
    public static byte[] OverlayPng(byte[] imageBytes, string name, float[] heatMap, int size, double opacity = 0.5, int maxSide = 512)
    {
        CheckMap(heatMap, size);
        if (!(opacity is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(opacity), opacity, "Opacity must be between 0 and 1.");
        }
        using var image = Preview(imageBytes, name, maxSide);
        var (width, height) = (image.Width, image.Height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var (r, g, b, a) = Colour(Sample(heatMap, size, x, y, width, height));
                    var w = (float)(opacity * a / 255);
                    var p = row[x];
                    row[x] = new Rgb24(Mix(p.R, r, w), Mix(p.G, g, w), Mix(p.B, b, w));
                }
            }
        });
        return Encode(image);
    }

    private static Image<Rgb24> Preview(byte[] imageBytes, string name, int maxSide)
    {
        CheckSide(maxSide, nameof(maxSide));
        var image = ImageDecoder.LoadUpright(imageBytes, name);
        var scale = (double)maxSide / Math.Max(image.Width, image.Height);
        if (scale < 1)
        {
            var (width, height) = (Math.Max(1, (int)Math.Round(image.Width * scale)), Math.Max(1, (int)Math.Round(image.Height * scale)));
            image.Mutate(x => x.Resize(width, height, KnownResamplers.Triangle));
        }
        return image;
    }

    // The map covers the whole input the network saw (the image squeezed to size x size), so it stretches over any picture of it.
    private static float Sample(float[] map, int size, int x, int y, int width, int height)
    {
        var u = Math.Clamp((x + 0.5f) * size / width - 0.5f, 0, size - 1);
        var v = Math.Clamp((y + 0.5f) * size / height - 0.5f, 0, size - 1);
        var (x0, y0) = ((int)u, (int)v);
        var (x1, y1) = (Math.Min(x0 + 1, size - 1), Math.Min(y0 + 1, size - 1));
        var (fx, fy) = (u - x0, v - y0);
        var top = map[y0 * size + x0] * (1 - fx) + map[y0 * size + x1] * fx;
        var bottom = map[y1 * size + x0] * (1 - fx) + map[y1 * size + x1] * fx;
        return Math.Clamp(top * (1 - fy) + bottom * fy, 0, 1);
    }

    // Turbo (Mikhailov 2019, Google), its published polynomial fit, between its blue (0.1) and its bright red (0.85): the ends
    // of the full map are near black, which would read as shadow. Opacity rises with the value so low heat stays a faint tint.
    private static (byte R, byte G, byte B, byte A) Colour(float value)
    {
        var t = 0.1f + 0.75f * value;
        var t2 = t * t;
        var t3 = t2 * t;
        var t4 = t3 * t;
        var t5 = t4 * t;
        var r = 0.13572138f + 4.61539260f * t - 42.66032258f * t2 + 132.13108234f * t3 - 152.94239396f * t4 + 59.28637943f * t5;
        var g = 0.09140261f + 2.19418839f * t + 4.84296658f * t2 - 14.18503333f * t3 + 4.27729857f * t4 + 2.82956604f * t5;
        var b = 0.10667330f + 12.64194608f * t - 60.58204836f * t2 + 110.36276771f * t3 - 89.90310912f * t4 + 27.34824973f * t5;
        return (ToByte(r), ToByte(g), ToByte(b), ToByte(0.25f + 0.75f * value));
    }

    private static byte ToByte(float value) => (byte)Math.Clamp(value * 255 + 0.5f, 0, 255);

    private static byte Mix(byte under, byte over, float weight) => (byte)Math.Clamp(under + (over - under) * weight + 0.5f, 0, 255);

    private static byte[] Encode<TPixel>(Image<TPixel> image) where TPixel : unmanaged, IPixel<TPixel>
    {
        using var stream = new MemoryStream();
        image.Save(stream, Encoder);
        return stream.ToArray();
    }

    private static void CheckMap(float[] heatMap, int size)
    {
        ArgumentNullException.ThrowIfNull(heatMap);
        if (size <= 0 || heatMap.Length != (long)size * size)
        {
            throw new ArgumentException($"A heat map of size {size} holds {size}x{size} values, not {heatMap.Length}.", nameof(heatMap));
        }
    }

    private static void CheckSide(int side, string parameter)
    {
        if (side is <= 0 or > 8192)
        {
            throw new ArgumentOutOfRangeException(parameter, side, "Must be between 1 and 8192 pixels.");
        }
    }
}
