using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using PalmLab.Engine.Training;
using PalmLab.Tests.Support;
using PalmLab.Web.Runs;

namespace PalmLab.Tests.Web;

/// <summary>The start-up sweep of run folders: its own kept, older ones adopted only when provably theirs, the rest moved aside.</summary>
public sealed class OrphanFoldersTests
{
    [Fact]
    public async Task SweepAsync_FoldersOfThisAndOtherDatabases_KeepsOwnAdoptsLegacyAndMovesTheRestAside()
    {
        using var seed = new RunListSeed();
        using var checkpoints = new TempDir();
        var dataSet = seed.NewDataSet("orphans");
        var (own, legacy, older, foreign) = (RunListSeed.NewRun(dataSet, "own", 0), RunListSeed.NewRun(dataSet, "legacy", 0),
            RunListSeed.NewRun(dataSet, "older", 0), RunListSeed.NewRun(dataSet, "foreign", 0));
        await seed.AddAsync(own, legacy, older, foreign);
        var created = RunListSeed.Start.UtcDateTime;
        Folder(checkpoints, own.Id, new RunFiles.Marker(own.Id, own.Uid), own.Uid, created.AddMinutes(5));
        // Written before identities existed, after its run was created: that run's.
        Folder(checkpoints, legacy.Id, null, null, created.AddMinutes(5));
        // Without identity, and older than its run: an earlier database's run of the same number.
        Folder(checkpoints, older.Id, null, null, created.AddMinutes(-5));
        var otherUid = Guid.NewGuid();
        Folder(checkpoints, foreign.Id, new RunFiles.Marker(foreign.Id, otherUid), otherUid, created.AddMinutes(5));
        Folder(checkpoints, 99, null, null, created.AddMinutes(5));

        await using var db = await seed.Factory.CreateDbContextAsync();
        var moved = await OrphanFolders.SweepAsync(db, checkpoints.Path, NullLogger.Instance, CancellationToken.None);

        string[] expected = [$"orphaned-run-{older.Id}-unmarked", $"orphaned-run-{foreign.Id}-{otherUid:N}", "orphaned-run-99-unmarked"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), moved.Select(m => Path.GetFileName(m)!).Order(StringComparer.Ordinal));
        Assert.Equal(own.Uid, RunFiles.ReadMarker(Path.Combine(checkpoints.Path, $"run-{own.Id}"))!.Uid);
        var adopted = Path.Combine(checkpoints.Path, $"run-{legacy.Id}");
        Assert.Equal(new RunFiles.Marker(legacy.Id, legacy.Uid, Legacy: true), RunFiles.ReadMarker(adopted));
        Assert.True(RunFiles.IsOwnCheckpoint(Path.Combine(adopted, Trainer.LastCheckpointName), legacy.Uid));
        Assert.False(RunFiles.IsOwnCheckpoint(Path.Combine(adopted, Trainer.LastCheckpointName), own.Uid));
        Assert.False(Directory.Exists(Path.Combine(checkpoints.Path, $"run-{older.Id}")));
        Assert.False(Directory.Exists(Path.Combine(checkpoints.Path, $"run-{foreign.Id}")));

        // A run that later writes into a folder of its number that is not its own moves that folder aside, never into it.
        Folder(checkpoints, older.Id, null, null, created.AddMinutes(5));
        var movedTo = RunFiles.Claim(Path.Combine(checkpoints.Path, $"run-{older.Id}"), older.Id, older.Uid);
        Assert.Equal($"orphaned-run-{older.Id}-unmarked-2", Path.GetFileName(movedTo));
        Assert.Equal([RunFiles.MarkerName], Directory.GetFiles(Path.Combine(checkpoints.Path, $"run-{older.Id}")).Select(f => Path.GetFileName(f)));
        Assert.Equal(older.Uid, RunFiles.ReadMarker(Path.Combine(checkpoints.Path, $"run-{older.Id}"))!.Uid);
    }

    // A run folder with a last.ckpt whose header alone is written (all the sweep reads), dated as given.
    private static void Folder(TempDir root, int runId, RunFiles.Marker? marker, Guid? uid, DateTime writtenAt)
    {
        var folder = root.Sub($"run-{runId}");
        if (marker is not null)
        {
            RunFiles.WriteMarker(folder, marker);
        }
        var path = Path.Combine(folder, Trainer.LastCheckpointName);
        var header = new CheckpointHeader(new TrainingConfig { TrainDir = "/d", RunUid = uid }, 1, 4, null, null, null, DateTimeOffset.UnixEpoch);
        using (var writer = new BinaryWriter(File.Create(path), Encoding.UTF8))
        {
            writer.Write("PALMLAB-CHECKPOINT");
            writer.Write(2);
            writer.Write(JsonSerializer.Serialize(header));
        }
        File.SetLastWriteTimeUtc(path, writtenAt);
    }
}
