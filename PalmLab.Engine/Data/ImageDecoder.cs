using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace PalmLab.Engine.Data;

/// <summary>
/// Turns an image file into the network's input, as the reference course does (after turning it upright by its EXIF
/// orientation, as a photo viewer shows it): resize to SxS (bilinear),
/// HWC to CHW, RGB, <c>x / 255 * 2 - 1</c>. Every file is treated as hostile.
/// </summary>
public static class ImageDecoder
{
    /// <summary>Largest image accepted, in pixels (the real photographs are 4.4 megapixels).</summary>
    public const long MaxPixels = 40_000_000;

    /// <summary>File endings read as images; other files in a data folder are passed over with a note.</summary>
    public static readonly IReadOnlySet<string> Extensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".bmp", ".gif", ".tif", ".tiff", ".webp",
    };

    /// <summary>Decodes <paramref name="path"/> into a new CHW float array of 3*size*size values.</summary>
    public static float[] Decode(string path, int size)
    {
        var values = new float[3 * size * size];
        DecodeInto(path, size, values);
        return values;
    }

    /// <summary>
    /// Decodes <paramref name="path"/> into <paramref name="destination"/> (3*size*size values, CHW), reading the file as a
    /// stream: only ImageSharp's own buffers are held, never the whole file.
    /// </summary>
    public static void DecodeInto(string path, int size, Span<float> destination)
    {
        using var stream = OpenRead(path, path);
        DecodeInto(stream, size, destination, path);
    }

    /// <summary>Decodes an image held in memory (an upload, say); <paramref name="name"/> is used in messages.</summary>
    public static void DecodeInto(byte[] bytes, int size, Span<float> destination, string name)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        DecodeInto(stream, size, destination, name);
    }

    /// <summary>
    /// The pixels <see cref="DecodeInto(string, int, Span{float})"/> maps to [-1, 1], as they are: CHW RGB bytes 0-255
    /// (3*size*size values), decoded, turned upright and resized the same way. What an exported ONNX file takes (as floats).
    /// </summary>
    public static void DecodePixelsInto(string path, int size, Span<byte> destination)
    {
        using var stream = OpenRead(path, path);
        DecodePixelsInto(stream, size, destination, path);
    }

    /// <summary>As <see cref="DecodePixelsInto(string, int, Span{byte})"/>, from an image held in memory; <paramref name="name"/> is used in messages.</summary>
    public static void DecodePixelsInto(byte[] bytes, int size, Span<byte> destination, string name)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        DecodePixelsInto(stream, size, destination, name);
    }

    /// <summary>A pixel value as the network takes it: <c>x / 255 * 2 - 1</c>, in [-1, 1].</summary>
    public static float ToInput(byte value) => value / 255f * 2f - 1f;

    private static void DecodeInto(Stream stream, int size, Span<float> destination, string name)
    {
        if (size <= 0)
        {
            throw new PalmLabException($"Image size must be positive, not {size}.");
        }
        if (destination.Length != 3 * size * size)
        {
            throw new ArgumentException($"Destination holds {destination.Length} values, not 3*{size}*{size}.", nameof(destination));
        }
        var pixels = new byte[destination.Length];
        DecodePixelsInto(stream, size, pixels, name);
        for (var i = 0; i < pixels.Length; i++)
        {
            destination[i] = ToInput(pixels[i]);
        }
    }

    private static void DecodePixelsInto(Stream stream, int size, Span<byte> destination, string name)
    {
        if (size <= 0)
        {
            throw new PalmLabException($"Image size must be positive, not {size}.");
        }
        if (destination.Length != 3 * size * size)
        {
            throw new ArgumentException($"Destination holds {destination.Length} values, not 3*{size}*{size}.", nameof(destination));
        }
        using var image = LoadUpright(stream, name);
        image.Mutate(x => x.Resize(size, size, KnownResamplers.Triangle));
        CopyChw(image, destination);
    }

    /// <summary>
    /// Decodes the whole image by the same rules as <see cref="DecodeInto(byte[], int, Span{float}, string)"/> and returns its
    /// size in pixels; throws a <see cref="PalmLabException"/> naming <paramref name="name"/> when the image cannot be used.
    /// </summary>
    public static (int Width, int Height) Verify(byte[] bytes, string name)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return Verify(stream, name);
    }

    /// <summary>As <see cref="Verify(byte[], string)"/>, reading a seekable stream (a file) from its start without holding it whole.</summary>
    public static (int Width, int Height) Verify(Stream stream, string name)
    {
        using var image = LoadUpright(stream, name);
        return (image.Width, image.Height);
    }

    /// <summary>Opens <paramref name="path"/> for reading; a failure is a <see cref="PalmLabException"/> naming <paramref name="name"/>.</summary>
    public static FileStream OpenRead(string path, string name)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PalmLabException($"{name}: cannot be read ({e.Message}).", e);
        }
    }

    // A GIF or TIFF can hold thousands of frames, each decoded at full size: a few kilobytes could ask for terabytes.
    private static readonly Configuration FirstFrameOnly = CreateFirstFrameConfiguration();

    private static Configuration CreateFirstFrameConfiguration()
    {
        var configuration = Configuration.Default.Clone();
        configuration.ImageFormatsManager.SetDecoder(GifFormat.Instance, new GifDecoder { DecodingMode = FrameDecodingMode.First });
        configuration.ImageFormatsManager.SetDecoder(TiffFormat.Instance, new TiffDecoder { DecodingMode = FrameDecodingMode.First });
        return configuration;
    }

    /// <summary>
    /// The whole image as RGB, upright as a photo viewer shows it (EXIF orientation applied), transparent parts over black
    /// (the fundus photograph's surround), after the checks every file gets: not empty, not a truncated JPEG, a known format,
    /// at most <see cref="MaxPixels"/> pixels by its header (checked before any pixel is decoded, so a decompression bomb is
    /// refused without allocating it). Throws a <see cref="PalmLabException"/> naming <paramref name="name"/> otherwise.
    /// </summary>
    public static Image<Rgb24> LoadUpright(byte[] bytes, string name)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return LoadUpright(stream, name);
    }

    /// <summary>As <see cref="LoadUpright(byte[], string)"/>, from a seekable stream read from its start.</summary>
    public static Image<Rgb24> LoadUpright(Stream stream, string name)
    {
        if (stream.Length == 0)
        {
            throw new PalmLabException($"{name}: the file is empty.");
        }
        try
        {
            if (IsTruncatedJpeg(stream))
            {
                throw new PalmLabException($"{name}: the JPEG is truncated (no end-of-image marker after its last scan).");
            }
        }
        catch (IOException e)
        {
            throw new PalmLabException($"{name}: cannot be read ({e.Message}).", e);
        }
        Image<Rgb24>? image = null;
        try
        {
            stream.Position = 0;
            var info = Image.Identify(FirstFrameOnly, stream, out var format) ?? throw new UnknownImageFormatException("unknown image format");
            if ((long)info.Width * info.Height > MaxPixels)
            {
                throw new PalmLabException($"{name}: {info.Width}x{info.Height} pixels is larger than the {MaxPixels / 1_000_000} megapixels PalmLab accepts.");
            }
            stream.Position = 0;
            // JPEG has no alpha; the other formats may (the header does not always say so, a PNG palette's tRNS, say).
            image = format is JpegFormat ? Image.Load<Rgb24>(FirstFrameOnly, stream) : OverBlack(stream);
            image.Mutate(x => x.AutoOrient());
            return image;
        }
        catch (Exception e) when (e is ImageFormatException or NotSupportedException or InvalidOperationException)
        {
            image?.Dispose();
            throw new PalmLabException($"{name}: not a readable image ({e.Message}).", e);
        }
        catch (IOException e)
        {
            image?.Dispose();
            throw new PalmLabException($"{name}: cannot be read ({e.Message}).", e);
        }
    }

    // Dropping alpha would show whatever colour a transparent pixel happens to hold; black is what surrounds a fundus.
    private static Image<Rgb24> OverBlack(Stream stream)
    {
        using var rgba = Image.Load<Rgba32>(FirstFrameOnly, stream);
        var rgb = new Image<Rgb24>(FirstFrameOnly, rgba.Width, rgba.Height);
        rgb.Metadata.ExifProfile = rgba.Metadata.ExifProfile?.DeepClone();
        rgba.ProcessPixelRows(rgb, (source, target) =>
        {
            for (var y = 0; y < source.Height; y++)
            {
                var from = source.GetRowSpan(y);
                var to = target.GetRowSpan(y);
                for (var x = 0; x < from.Length; x++)
                {
                    var p = from[x];
                    to[x] = new Rgb24((byte)((p.R * p.A + 127) / 255), (byte)((p.G * p.A + 127) / 255), (byte)((p.B * p.A + 127) / 255));
                }
            }
        });
        return rgb;
    }

    private static void CopyChw(Image<Rgb24> image, Span<byte> destination)
    {
        var plane = image.Width * image.Height;
        var width = image.Width;
        var buffer = new byte[destination.Length];
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var i = y * width + x;
                    buffer[i] = row[x].R;
                    buffer[plane + i] = row[x].G;
                    buffer[2 * plane + i] = row[x].B;
                }
            }
        });
        buffer.CopyTo(destination);
    }

    // ImageSharp fills a cut-off JPEG with grey instead of failing, so a half-copied file would train silently.
    // Entropy-coded data stuffs every 0xFF with 0x00, so an end-of-image marker (FF D9) after the last
    // start-of-scan (FF DA) is the reliable sign that the file is whole. Read backwards a block at a time: the marker
    // that comes first from the end decides, and in a whole file FF D9 sits in the last block.
    private static bool IsTruncatedJpeg(Stream stream)
    {
        const int Block = 1 << 16;
        Span<byte> head = stackalloc byte[2];
        stream.Position = 0;
        if (stream.Length < 4 || stream.ReadAtLeast(head, 2, throwOnEndOfStream: false) < 2 || head[0] != 0xFF || head[1] != 0xD8)
        {
            return false;
        }
        var buffer = new byte[Block + 1];
        var end = stream.Length;
        while (end > 0)
        {
            var start = Math.Max(0, end - Block);
            // One byte beyond the block, so a marker split across two blocks is still seen.
            var length = (int)(Math.Min(stream.Length, end + 1) - start);
            stream.Position = start;
            stream.ReadExactly(buffer, 0, length);
            for (var i = length - 2; i >= 0; i--)
            {
                if (buffer[i] == 0xFF && buffer[i + 1] == 0xD9)
                {
                    return false;
                }
                if (buffer[i] == 0xFF && buffer[i + 1] == 0xDA)
                {
                    return true;
                }
            }
            end = start;
        }
        return true;
    }
}
