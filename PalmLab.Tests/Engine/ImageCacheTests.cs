using PalmLab.Engine.Data;
using PalmLab.Engine.Training;
using PalmLab.Tests.Support;
using SixLabors.ImageSharp;
using static TorchSharp.torch;

namespace PalmLab.Tests.Engine;

public class ImageCacheTests
{
    [Fact]
    public void Load_SecondTimeWithCache_ReadsTheCacheAndGivesIdenticalTensors()
    {
        using var temp = new TempDir();
        var items = DatasetReader.ReadTrainingFolder(TestImages.WriteTrainingFolder(temp.Sub("train"), 4, 1, 5)).Images;
        var cache = temp.File("cache");

        using var first = ImageTensorSet.Load(items, 16, "train", cacheDir: cache);
        using var second = ImageTensorSet.Load(items, 16, "train", cacheDir: cache);
        using var uncached = ImageTensorSet.Load(items, 16, "train");

        Assert.False(first.FromCache);
        Assert.True(second.FromCache);
        Assert.Single(Directory.GetFiles(cache));
        Assert.True(Same(second.Images, first.Images));
        Assert.True(Same(second.Labels, first.Labels));
        Assert.True(Same(uncached.Images, second.Images));
    }

    [Fact]
    public void Load_OtherSizeOrOtherList_MissesAndKeepsSeparateFiles()
    {
        using var temp = new TempDir();
        var items = DatasetReader.ReadTrainingFolder(TestImages.WriteTrainingFolder(temp.Sub("train"), 3, 0, 3)).Images;
        var cache = temp.File("cache");
        ImageTensorSet.Load(items, 16, cacheDir: cache).Dispose();

        using var otherSize = ImageTensorSet.Load(items, 32, cacheDir: cache);
        using var otherList = ImageTensorSet.Load(items.Skip(1).ToList(), 16, cacheDir: cache);

        Assert.False(otherSize.FromCache);
        Assert.False(otherList.FromCache);
        Assert.Equal(3, Directory.GetFiles(cache).Length);
    }

    [Fact]
    public void Load_FileTouched_RebuildsTheCacheInPlace()
    {
        using var temp = new TempDir();
        var folder = TestImages.WriteTrainingFolder(temp.Sub("train"), 3, 0, 3);
        var items = DatasetReader.ReadTrainingFolder(folder).Images;
        var cache = temp.File("cache");
        ImageTensorSet.Load(items, 16, cacheDir: cache).Dispose();

        var touched = Path.Combine(folder, "N0002.jpg");
        File.SetLastWriteTimeUtc(touched, File.GetLastWriteTimeUtc(touched).AddMinutes(1));
        using var afterTouch = ImageTensorSet.Load(items, 16, cacheDir: cache);
        using var again = ImageTensorSet.Load(items, 16, cacheDir: cache);

        Assert.False(afterTouch.FromCache);
        Assert.True(again.FromCache);
        Assert.Single(Directory.GetFiles(cache));
    }

    [Fact]
    public void Load_ImageReplaced_DecodesTheNewPixels()
    {
        using var temp = new TempDir();
        var folder = TestImages.WriteTrainingFolder(temp.Sub("train"), 3, 0, 3);
        var items = DatasetReader.ReadTrainingFolder(folder).Images;
        var cache = temp.File("cache");
        using var before = ImageTensorSet.Load(items, 16, cacheDir: cache);

        using (var image = TestImages.Make(1, 32, new Random(99)))
        {
            image.SaveAsJpeg(Path.Combine(folder, "N0001.jpg"));
        }
        using var after = ImageTensorSet.Load(items, 16, cacheDir: cache);
        using var fresh = ImageTensorSet.Load(items, 16);

        Assert.False(after.FromCache);
        Assert.False(Same(after.Images[0], before.Images[0]));
        Assert.True(Same(after.Images, fresh.Images));
    }

    [Fact]
    public void Load_DamagedCacheFile_DecodesAgain()
    {
        using var temp = new TempDir();
        var items = DatasetReader.ReadTrainingFolder(TestImages.WriteTrainingFolder(temp.Sub("train"), 2, 0, 2)).Images;
        var cache = temp.File("cache");
        using var first = ImageTensorSet.Load(items, 16, cacheDir: cache);
        var file = Directory.GetFiles(cache).Single();
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..^10]);
        using var afterCut = ImageTensorSet.Load(items, 16, cacheDir: cache);
        bytes[30] ^= 0xFF;
        File.WriteAllBytes(file, bytes);
        using var afterFlip = ImageTensorSet.Load(items, 16, cacheDir: cache);
        using var again = ImageTensorSet.Load(items, 16, cacheDir: cache);

        Assert.False(afterCut.FromCache);
        Assert.False(afterFlip.FromCache);
        Assert.True(again.FromCache);
        Assert.True(Same(again.Images, first.Images));
    }

    [Fact]
    public void Run_HoldoutTwiceWithCache_SecondRunHitsAndTrainsTheSame()
    {
        using var temp = new TempDir();
        var config = new TrainingConfig
        {
            TrainDir = TestImages.WriteTrainingFolder(temp.Sub("train"), 6, 2, 8, size: 40),
            Options = new() { Holdout = 0.25, Depth = 18, ImageSize = 32, BatchSize = 6, Epochs = 1, Seed = 2 },
            Device = "cpu",
            CacheDir = temp.File("cache"),
        };

        var first = Trainer.Run(config, temp.Sub("a"));
        var second = Trainer.Run(config, temp.Sub("b"));
        var otherSeed = Trainer.Run(config.With(o => o with { Seed = 3 }), temp.Sub("c"));
        var uncached = Trainer.Run(config with { CacheDir = null }, temp.Sub("d"));

        Assert.False(first.DataCacheHit);
        Assert.True(second.DataCacheHit);
        Assert.True(otherSeed.DataCacheHit);
        Assert.Null(uncached.DataCacheHit);
        Assert.Equal((12, 4), (second.TrainImages, second.ValidationImages));
        Assert.Equal(uncached.Epochs[0].TrainLoss, second.Epochs[0].TrainLoss);
        Assert.Equal(first.Epochs[0].TrainLoss, second.Epochs[0].TrainLoss);
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    [Fact]
    public void MakeRoom_FolderPastItsBound_RemovesTheLeastRecentlyUsedFilesFirst()
    {
        using var temp = new TempDir();
        var cache = temp.Sub("cache");
        var names = new[] { "a.bin", "b.bin", "c.bin" };
        for (var i = 0; i < names.Length; i++)
        {
            var path = Path.Combine(cache, names[i]);
            File.WriteAllBytes(path, new byte[1000]);
            File.SetLastWriteTimeUtc(path, new DateTime(2020, 1, 1 + i, 0, 0, 0, DateTimeKind.Utc));
        }
        File.SetLastWriteTimeUtc(Path.Combine(cache, "a.bin"), new DateTime(2020, 2, 1, 0, 0, 0, DateTimeKind.Utc)); // a used last
        File.WriteAllBytes(Path.Combine(cache, "notes.txt"), new byte[5000]); // not a cache file: never counted or removed

        var removed = ImageCache.MakeRoom(cache, maxBytes: 2500, needed: 1000);

        Assert.Equal(["b.bin", "c.bin"], removed.Select(Path.GetFileName));
        Assert.Equal(["a.bin", "notes.txt"], Directory.GetFiles(cache).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Load_CacheAtItsBound_KeepsTheSetUsedLastAndRemovesTheOneUnusedLongest()
    {
        using var temp = new TempDir();
        var folder = TestImages.WriteTrainingFolder(temp.Sub("train"), 3, 0, 3);
        var all = DatasetReader.ReadTrainingFolder(folder).Images;
        var (a, b, c) = (all.Take(4).ToList(), all.Skip(1).Take(4).ToList(), all.Skip(2).Take(4).ToList());
        var cache = temp.File("cache");
        var size = ImageCache.SizeOf(a, 16, ImageCache.Stamp(a)!);
        var bound = size * 5 / 2; // room for two sets, not three
        ImageTensorSet.Load(a, 16, cacheDir: cache, cacheMaxBytes: bound).Dispose();
        ImageTensorSet.Load(b, 16, cacheDir: cache, cacheMaxBytes: bound).Dispose();
        // Fixed times, so the order does not hang on the clock's resolution: a older than b, then a used again.
        File.SetLastWriteTimeUtc(ImageCache.PathFor(cache, a, 16), new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        File.SetLastWriteTimeUtc(ImageCache.PathFor(cache, b, 16), new DateTime(2020, 1, 2, 0, 0, 0, DateTimeKind.Utc));
        using (var hit = ImageTensorSet.Load(a, 16, cacheDir: cache, cacheMaxBytes: bound))
        {
            Assert.True(hit.FromCache);
        }

        ImageTensorSet.Load(c, 16, cacheDir: cache, cacheMaxBytes: bound).Dispose();

        Assert.True(File.Exists(ImageCache.PathFor(cache, a, 16)), "the set used last was removed");
        Assert.False(File.Exists(ImageCache.PathFor(cache, b, 16)), "the set unused longest was kept");
        Assert.True(File.Exists(ImageCache.PathFor(cache, c, 16)));
        Assert.True(Directory.GetFiles(cache).Sum(f => new FileInfo(f).Length) <= bound);
    }

    [Fact]
    public void Load_SetLargerThanTheWholeBound_IsNotCached()
    {
        using var temp = new TempDir();
        var items = DatasetReader.ReadTrainingFolder(TestImages.WriteTrainingFolder(temp.Sub("train"), 2, 0, 2)).Images;
        var cache = temp.Sub("cache");

        using var set = ImageTensorSet.Load(items, 16, cacheDir: cache, cacheMaxBytes: 1000);

        Assert.Empty(Directory.GetFiles(cache));
    }
}
