using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace PalmLab.Tests.Support;

/// <summary>Small labelled images written on the fly: class 1 has a bright blob, class 0 does not, both with noise.</summary>
public static class TestImages
{
    public static Image<Rgb24> Make(int label, int size, Random random)
    {
        var image = new Image<Rgb24>(size, size);
        var (cx, cy) = (random.Next(size / 4, 3 * size / 4), random.Next(size / 4, 3 * size / 4));
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < size; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < size; x++)
                {
                    var blob = label == 1 && (x - cx) * (x - cx) + (y - cy) * (y - cy) < size * size / 25;
                    var noise = random.Next(-30, 30);
                    row[x] = blob
                        ? new Rgb24(250, 240, 200)
                        : new Rgb24((byte)Math.Clamp(150 + noise, 0, 255), (byte)Math.Clamp(60 + noise, 0, 255), (byte)Math.Clamp(30 + noise, 0, 255));
                }
            }
        });
        return image;
    }

    /// <summary>Writes N*, H* and P* JPEGs (label from the name, as in PALM-Training400) and returns the folder.</summary>
    public static string WriteTrainingFolder(string folder, int normal, int high, int pathologic, int size = 32, int seed = 1)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(seed);
        void Write(string prefix, int count, int label)
        {
            for (var i = 1; i <= count; i++)
            {
                using var image = Make(label, size, random);
                image.SaveAsJpeg(Path.Combine(folder, $"{prefix}{i:D4}.jpg"));
            }
        }
        Write("N", normal, 0);
        Write("H", high, 0);
        Write("P", pathologic, 1);
        return folder;
    }

    /// <summary>Writes V*.jpg images and a labels.csv in the official format; returns the labels by file name.</summary>
    public static Dictionary<string, int> WriteValidationFolder(string folder, int count, int size = 32, int seed = 2)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(seed);
        var labels = new Dictionary<string, int>();
        var lines = new List<string> { "ID,imgName,Label,Fovea_X,Fovea_Y" };
        for (var i = 1; i <= count; i++)
        {
            var name = $"V{i:D4}.jpg";
            var label = i % 2;
            using var image = Make(label, size, random);
            image.SaveAsJpeg(Path.Combine(folder, name));
            labels[name] = label;
            lines.Add($"{i},{name},{label},{size / 2}.5,{size / 2}.25");
        }
        File.WriteAllLines(Path.Combine(folder, "labels.csv"), lines);
        return labels;
    }
}
