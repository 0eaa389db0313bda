using System.Buffers.Binary;
using System.IO.Compression;
using PalmLab.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace PalmLab.Tests.Web.Predict;

/// <summary>The files of the bad-upload matrix, each made here in memory (never a real photograph).</summary>
public static class TestUploads
{
    public static byte[] Jpeg(int width = 48, int height = 48, int label = 1, int seed = 3)
    {
        using var image = Fundus(width, height, label, seed);
        return Save(image, s => image.SaveAsJpeg(s));
    }

    public static byte[] Text() => "This is a text file, not a fundus photograph.\n"u8.ToArray();

    /// <summary>The first half of a JPEG: no end-of-image marker after its scan.</summary>
    public static byte[] TruncatedJpeg()
    {
        var whole = Jpeg(64, 64);
        return whole[..(whole.Length / 2)];
    }

    /// <summary><paramref name="bytes"/> of noise (it never gets as far as the decoder).</summary>
    public static byte[] Large(int bytes)
    {
        var data = new byte[bytes];
        new Random(7).NextBytes(data);
        return data;
    }

    public static byte[] PngWithAlpha()
    {
        using var rgb = Fundus(48, 48, 1, 4);
        using var image = rgb.CloneAs<Rgba32>();
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                foreach (ref var p in rows.GetRowSpan(y))
                {
                    p.A = (byte)(y * 255 / rows.Height);
                }
            }
        });
        return Save(image, s => image.SaveAsPng(s));
    }

    public static byte[] GreyscaleJpeg()
    {
        using var rgb = Fundus(48, 48, 0, 5);
        using var image = rgb.CloneAs<L8>();
        return Save(image, s => image.SaveAsJpeg(s, new JpegEncoder { ColorType = JpegColorType.Luminance }));
    }

    /// <summary>A <paramref name="width"/> x <paramref name="height"/> JPEG whose EXIF says "rotate 90° clockwise to view" (orientation 6).</summary>
    public static byte[] ExifRotatedJpeg(int width = 80, int height = 40)
    {
        using var image = Fundus(width, height, 1, 6);
        image.Metadata.ExifProfile = new ExifProfile();
        image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
        return Save(image, s => image.SaveAsJpeg(s));
    }

    /// <summary>
    /// A valid PNG header of <paramref name="side"/> x <paramref name="side"/> RGB pixels (30000² = 2.7 GB decoded) whose
    /// few kilobytes of image data inflate to its first rows: only a decoder that reads the header first can refuse it cheaply.
    /// </summary>
    public static byte[] PngBomb(int side = 30_000)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, side);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), side);
        header[8] = 8; // bit depth
        header[9] = 2; // RGB
        TestPictures.Chunk(png, "IHDR", header);
        using var zipped = new MemoryStream();
        using (var zlib = new ZLibStream(zipped, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var row = new byte[1 + 3 * side]; // filter byte 0, black pixels
            for (var y = 0; y < 64; y++)
            {
                zlib.Write(row);
            }
        }
        TestPictures.Chunk(png, "IDAT", zipped.ToArray());
        TestPictures.Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>
    /// A 16x16 baseline JPEG with four components and an Adobe marker saying CMYK (transform 0), written by hand since
    /// ImageSharp 2.1 cannot encode one: one Huffman code per table (DC difference 0, end of block), so each 8x8 block is
    /// two zero bits and every sample is the mid value.
    /// </summary>
    public static byte[] CmykJpeg()
    {
        using var jpeg = new MemoryStream();
        void Marker(byte marker, byte[] body)
        {
            jpeg.Write([0xFF, marker, (byte)((body.Length + 2) >> 8), (byte)(body.Length + 2)]);
            jpeg.Write(body);
        }
        jpeg.Write([0xFF, 0xD8]);
        Marker(0xEE, [(byte)'A', (byte)'d', (byte)'o', (byte)'b', (byte)'e', 0, 100, 0, 0, 0, 0, 0]); // APP14, transform 0 = CMYK
        Marker(0xDB, [0x00, .. Enumerable.Repeat((byte)1, 64)]); // quantisation table 0: all ones
        Marker(0xC0, [8, 0, 16, 0, 16, 4, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0]); // 16x16, 4 components, no subsampling
        Marker(0xC4, [0x00, 1, .. new byte[15], 0x00]); // DC table 0: one code of length 1 for category 0
        Marker(0xC4, [0x10, 1, .. new byte[15], 0x00]); // AC table 0: one code of length 1 for end of block
        Marker(0xDA, [4, 1, 0x00, 2, 0x00, 3, 0x00, 4, 0x00, 0, 63, 0]);
        jpeg.Write(new byte[4]); // 4 MCUs x 4 blocks x 2 bits
        jpeg.Write([0xFF, 0xD9]);
        return jpeg.ToArray();
    }

    private static Image<Rgb24> Fundus(int width, int height, int label, int seed)
    {
        using var square = TestImages.Make(label, Math.Max(width, height), new Random(seed));
        var image = square.Clone(x => x.Crop(new Rectangle(0, 0, width, height)));
        return image;
    }

    private static byte[] Save(Image image, Action<Stream> save)
    {
        using var stream = new MemoryStream();
        save(stream);
        return stream.ToArray();
    }
}
