using PalmLab.Engine.Inference;
using PalmLab.Engine.Training;
using PalmLab.Tests.Support;
using PalmLab.Tests.Cli;
using PalmLab.Tests.Web.Predict;
using PalmLab.Web.Predictions;

namespace PalmLab.Tests.Web;

[Collection(CheckpointCollection.Name)]
public sealed class ModelCacheTests(CheckpointFixture checkpoint)
{
    [Fact]
    public async Task UseAsync_MoreModelsThanCapacity_KeepsTheMostRecentlyUsedAndDisposesTheEvicted()
    {
        var loaded = new List<Probe>();
        using var cache = new ModelCache<Probe>(2, path => Add(loaded, new Probe(path)));

        await cache.UseAsync("a", "a.pt", m => m.Path, CancellationToken.None);
        await cache.UseAsync("b", "b.pt", m => m.Path, CancellationToken.None);
        await cache.UseAsync("a", "a.pt", m => m.Path, CancellationToken.None); // a is now the most recent
        await cache.UseAsync("c", "c.pt", m => m.Path, CancellationToken.None);

        Assert.Equal(["c", "a"], cache.Keys);
        Assert.Equal(["a.pt", "b.pt", "c.pt"], loaded.Select(p => p.Path)); // a was loaded once
        Assert.Equal([false, true, false], loaded.Select(p => p.Disposed));
        cache.Dispose();
        Assert.All(loaded, p => Assert.True(p.Disposed));
    }

    [Fact]
    public async Task UseAsync_ModelEvictedWhileInUse_IsDisposedOnlyWhenItsUserIsDone()
    {
        var loaded = new List<Probe>();
        using var cache = new ModelCache<Probe>(1, path => Add(loaded, new Probe(path)));
        using var inUse = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();

        var first = cache.UseAsync("a", "a.pt", m =>
        {
            inUse.Set();
            Assert.True(release.Wait(TimeSpan.FromSeconds(30)), "the test never released the first model");
            return m.Disposed;
        }, CancellationToken.None);
        Assert.True(inUse.Wait(TimeSpan.FromSeconds(30)), "the first model was never used");
        var wasDisposedDuringSecond = await cache.UseAsync("b", "b.pt", _ => loaded[0].Disposed, CancellationToken.None);
        release.Set();

        Assert.False(await first);
        Assert.False(wasDisposedDuringSecond);
        Assert.True(loaded[0].Disposed);
        Assert.Equal(["b"], cache.Keys);
    }

    [Fact]
    public async Task UseAsync_OneModelUsedByOneCallerAtATime()
    {
        var active = 0;
        var most = 0;
        using var cache = new ModelCache<Probe>(2, path => new Probe(path));

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => cache.UseAsync("a", "a.pt", m =>
        {
            var now = Interlocked.Increment(ref active);
            InterlockedMax(ref most, now);
            Thread.Sleep(5);
            Interlocked.Decrement(ref active);
            return 0;
        }, CancellationToken.None)));

        Assert.Equal(1, most);
    }

    [Fact]
    public async Task PredictAsync_EightParallelRequestsOnOneModel_EqualTheSequentialPredictions()
    {
        // At 64 px the last stage is 2x2, so heat maps differ between images (at the fixture's 32 px it is one cell).
        var model = Trainer.Run(checkpoint.Data.Config.With(o => o with { Epochs = 1, ImageSize = 64 }), checkpoint.Data.NewOutputDir()).LastCheckpoint;
        using var cache = new ModelCache<Predictor>(2, path => Predictor.Load(path, "cpu", 1));
        var images = Enumerable.Range(0, 8).Select(i => TestUploads.Jpeg(40, 40, i % 2, seed: 20 + i)).ToArray();
        var sequential = new List<Explanation>();
        foreach (var (image, i) in images.Select((b, i) => (b, i)))
        {
            sequential.Add(await cache.UseAsync("m", model, p => p.Explain(image, $"{i}.jpg"), CancellationToken.None));
        }

        var parallel = await Task.WhenAll(images.Select((image, i) => Task.Run(() =>
            cache.UseAsync("m", model, p => p.Explain(image, $"{i}.jpg"), CancellationToken.None))));

        Assert.Equal(sequential.Select(e => e.Prediction.Probability), parallel.Select(e => e.Prediction.Probability));
        Assert.All(sequential.Zip(parallel), pair => Assert.Equal(pair.First.HeatMap, pair.Second.HeatMap));
        // Eight different images: a mix-up between requests would show.
        var distinct = sequential.Select(e => $"{e.Prediction.Probability}|{string.Join(",", e.HeatMap)}").Distinct().Count();
        Assert.True(distinct == 8, $"only {distinct} different answers for 8 different images");
    }

    private static Probe Add(List<Probe> loaded, Probe probe)
    {
        lock (loaded)
        {
            loaded.Add(probe);
        }
        return probe;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    /// <summary>A model that records whether it was disposed.</summary>
    public sealed class Probe(string path) : IDisposable
    {
        public string Path { get; } = path;

        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
