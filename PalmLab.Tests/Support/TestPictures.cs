using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace PalmLab.Tests.Support;

/// <summary>Image files built byte by byte or with EXIF metadata, for the decoder's awkward cases.</summary>
public static class TestPictures
{
    /// <summary>A 16x8 JPEG, red left half and blue right half, whose EXIF orientation 6 says to show it turned a quarter clockwise.</summary>
    public static byte[] SidewaysJpeg()
    {
        using var image = new Image<Rgb24>(16, 8);
        for (var y = 0; y < 8; y++)
        {
            for (var x = 0; x < 16; x++)
            {
                image[x, y] = x < 8 ? new Rgb24(255, 0, 0) : new Rgb24(0, 0, 255);
            }
        }
        image.Metadata.ExifProfile = new ExifProfile();
        image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream);
        return stream.ToArray();
    }

    /// <summary>
    /// A PNG whose header claims <paramref name="width"/> x <paramref name="height"/> pixels, followed by a few bytes of
    /// image data: what a decompression bomb looks like to a decoder that trusts the header.
    /// </summary>
    public static byte[] ForgedPng(int width, int height)
    {
        using var stream = new MemoryStream();
        stream.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // RGB
        Chunk(stream, "IHDR", header);
        using (var data = new MemoryStream())
        {
            using (var zlib = new ZLibStream(data, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                zlib.Write(new byte[64 * 1024]);
            }
            Chunk(stream, "IDAT", data.ToArray());
        }
        Chunk(stream, "IEND", []);
        return stream.ToArray();
    }

    /// <summary>
    /// An 8x8 baseline JPEG with four components (Adobe CMYK, stored inverted as Photoshop writes it) of pure cyan:
    /// written by hand because ImageSharp 2.1 cannot encode CMYK. Every block holds only its DC value.
    /// </summary>
    public static byte[] CyanCmykJpeg()
    {
        using var stream = new MemoryStream();
        stream.Write([0xFF, 0xD8]);
        // APP14 Adobe, transform 0 (no colour transform): the samples are CMYK as stored.
        Segment(stream, 0xEE, [.. "Adobe"u8, 0, 100, 0, 0, 0, 0, 0]);
        // One quantisation table of ones, so a DC coefficient is 8 times the level-shifted sample.
        Segment(stream, 0xDB, [0, .. Enumerable.Repeat((byte)1, 64)]);
        // Baseline frame: 8 bits, 8x8, four components each 1x1 sampled with table 0.
        Segment(stream, 0xC0, [8, 0, 8, 0, 8, 4, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0]);
        // DC table 0: two 2-bit codes, 00 -> category 10, 01 -> category 11. AC table 0: one 1-bit code, 0 -> end of block.
        Segment(stream, 0xC4, [0x00, 0, 2, .. new byte[14], 10, 11]);
        Segment(stream, 0xC4, [0x10, 1, .. new byte[15], 0x00]);
        Segment(stream, 0xDA, [4, 1, 0x00, 2, 0x00, 3, 0x00, 4, 0x00, 0, 63, 0]);
        // Inverted CMYK: C stored 0 (full ink), M, Y and K stored 255 (no ink). Sample 0 is DC -1024 (category 11),
        // sample 255 is DC 1016 (category 10).
        var bits = new StringBuilder();
        bits.Append("01").Append(Convert.ToString(-1024 - 1 & 0x7FF, 2).PadLeft(11, '0')).Append('0');
        for (var i = 0; i < 3; i++)
        {
            bits.Append("00").Append(Convert.ToString(1016, 2).PadLeft(10, '0')).Append('0');
        }
        while (bits.Length % 8 != 0)
        {
            bits.Append('1');
        }
        for (var i = 0; i < bits.Length; i += 8)
        {
            var value = Convert.ToByte(bits.ToString(i, 8), 2);
            stream.WriteByte(value);
            if (value == 0xFF)
            {
                stream.WriteByte(0);
            }
        }
        stream.Write([0xFF, 0xD9]);
        return stream.ToArray();
    }

    private static void Segment(Stream stream, byte marker, byte[] payload)
    {
        stream.Write([0xFF, marker, (byte)((payload.Length + 2) >> 8), (byte)(payload.Length + 2)]);
        stream.Write(payload);
    }

    /// <summary>Writes one PNG chunk: length, type, data and its CRC-32.</summary>
    internal static void Chunk(Stream stream, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        stream.Write(typeAndData);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        stream.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }
        return ~crc;
    }
}
