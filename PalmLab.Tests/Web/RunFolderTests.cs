using System.Text;
using System.Text.Json;
using PalmLab.Engine;
using PalmLab.Engine.Training;
using PalmLab.Tests.Support;
using PalmLab.Web.Data;
using PalmLab.Web.Options;
using PalmLab.Web.Runs;

namespace PalmLab.Tests.Web;

/// <summary>
/// The one owner of a run's files: the paths of an ordinary and a cross-validated run (the names every earlier version
/// wrote), and its identity: a folder or checkpoint of another run of the same id is never the run's.
/// </summary>
public sealed class RunFolderTests : IDisposable
{
    private readonly TempDir _root = new();
    private readonly PalmLabOptions _options;

    public RunFolderTests()
    {
        _options = new PalmLabOptions { CheckpointsDir = _root.File("checkpoints") };
        _options.Slurm.WorkDir = _root.File("slurm");
    }

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Paths_OrdinaryRun_AreTheFoldersAndFilesEveryVersionWrote()
    {
        var files = new RunFolder(_options, 7, Guid.NewGuid());

        var folder = Path.Combine(_root.Path, "checkpoints", "run-7");
        var job = Path.Combine(_root.Path, "slurm", "run-7");
        Assert.Equal(folder, files.Path);
        Assert.Equal(folder, files.CheckpointFolder(null));
        Assert.Equal(Path.Combine(folder, "last.ckpt"), files.LastCheckpoint());
        Assert.Equal(Path.Combine(folder, "best.ckpt"), files.BestCheckpoint());
        Assert.Equal(Path.Combine(folder, "best.ckpt"), files.Checkpoint(CheckpointKind.Best));
        Assert.Equal(job, files.JobFolder);
        Assert.Equal(Path.Combine(job, "job.sh"), files.JobScript);
        Assert.Equal(Path.Combine(job, "token"), files.TokenFile);
        Assert.Equal(Path.Combine(job, "slurm-4242.out"), files.JobOutput("4242"));
        Assert.Equal("run-7-best", files.DownloadName(CheckpointKind.Best, null));
    }

    [Fact]
    public void Paths_CrossValidatedRun_PutEachFoldInTheEnginesFoldFolder()
    {
        var files = new RunFolder(_options, 12, Guid.NewGuid());

        var fold2 = Path.Combine(_root.Path, "checkpoints", "run-12", "fold-2");
        Assert.Equal(fold2, files.FoldFolder(2));
        Assert.Equal(CrossValidation.FoldFolder(files.Path, 2), files.FoldFolder(2));
        Assert.Equal(fold2, files.CheckpointFolder(2));
        Assert.Equal(Path.Combine(fold2, Trainer.LastCheckpointName), files.LastCheckpoint(2));
        Assert.Equal(Path.Combine(fold2, Trainer.BestCheckpointName), files.BestCheckpoint(2));
        Assert.Equal("run-12-fold-2-last", files.DownloadName(CheckpointKind.Last, 2));
        var upload = files.CheckpointUpload(CheckpointKind.Best, 2);
        Assert.Equal(fold2, Path.GetDirectoryName(upload));
        Assert.StartsWith(".best.upload-", Path.GetFileName(upload));
        Assert.NotEqual(upload, files.CheckpointUpload(CheckpointKind.Best, 2));
    }

    [Fact]
    public void Paths_RelativeFolders_AreMadeFull()
    {
        var options = new PalmLabOptions { CheckpointsDir = "data/checkpoints" };

        var files = new RunFolder(options, 3, Guid.NewGuid());

        Assert.Equal(Path.GetFullPath("data/checkpoints/run-3"), files.Path);
        Assert.Equal(Path.GetFullPath("data/slurm/run-3"), files.JobFolder);
    }

    [Theory]
    [InlineData("run-7", 7)]
    [InlineData("run-120", 120)]
    [InlineData("run-", null)]
    [InlineData("run-x", null)]
    [InlineData("run--7", null)]
    [InlineData("run- 7", null)]
    [InlineData("run-7-old", null)]
    [InlineData("orphaned-run-7-unmarked", null)]
    [InlineData("Run-7", null)]
    public void TryParseName_TakesOnlyTheRunFolderNames(string name, int? expected)
    {
        Assert.Equal(expected is not null, RunFolder.TryParseName(name, out var runId));
        Assert.Equal(expected ?? 0, runId);
        if (expected is { } id)
        {
            Assert.Equal(name, RunFolder.NameOf(id));
        }
    }

    [Fact]
    public void Claim_FolderOfAnotherRunOfTheSameId_IsMovedAsideAndNeverTheRuns()
    {
        var earlier = new RunFolder(_options, 5, Guid.NewGuid());
        earlier.Claim();
        File.WriteAllText(Path.Combine(earlier.Path, "note.txt"), "the earlier database's run 5");
        var run = new RunFolder(_options, 5, Guid.NewGuid());

        Assert.True(earlier.IsClaimed);
        Assert.False(run.IsClaimed);
        var movedTo = run.Claim();

        Assert.True(run.IsClaimed);
        Assert.False(earlier.IsClaimed);
        Assert.Equal($"orphaned-run-5-{earlier.Uid:N}", Path.GetFileName(movedTo));
        Assert.True(File.Exists(Path.Combine(movedTo!, "note.txt")));
        Assert.Equal([RunFiles.MarkerName], Directory.GetFiles(run.Path).Select(f => Path.GetFileName(f)));
        Assert.Null(run.Claim()); // its own folder stays where it is
    }

    [Fact]
    public void ClaimJobFolder_ClaimsTheJobFolderOnly()
    {
        var run = new RunFolder(_options, 9, Guid.NewGuid());

        Assert.Null(run.ClaimJobFolder());

        Assert.Equal(run.Uid, RunFiles.ReadMarker(run.JobFolder)!.Uid);
        Assert.False(Directory.Exists(run.Path));
    }

    [Fact]
    public void IsOwnCheckpoint_CheckpointOfAnotherUid_IsNeverTheRuns()
    {
        var run = new RunFolder(_options, 4, Guid.NewGuid());
        var other = new RunFolder(_options, 4, Guid.NewGuid());
        run.Claim();
        WriteCheckpoint(run.LastCheckpoint(), run.Uid);
        WriteCheckpoint(run.BestCheckpoint(2), other.Uid);

        Assert.True(run.IsOwnCheckpoint(run.LastCheckpoint()));
        Assert.False(run.IsForeignCheckpoint(run.LastCheckpoint()));
        Assert.Equal(run.LastCheckpoint(), run.EnsureOwnCheckpoint(run.LastCheckpoint()));
        Assert.False(other.IsOwnCheckpoint(run.LastCheckpoint()));
        Assert.True(other.IsForeignCheckpoint(run.LastCheckpoint()));

        Assert.False(run.IsOwnCheckpoint(run.BestCheckpoint(2)));
        Assert.True(run.IsForeignCheckpoint(run.BestCheckpoint(2)));
        var refused = Assert.Throws<PalmLabException>(() => run.EnsureOwnCheckpoint(run.BestCheckpoint(2)));
        Assert.Contains("written by another run", refused.Message);
        Assert.DoesNotContain(_root.Path, refused.Message);
    }

    [Fact]
    public void IsOwnCheckpoint_MissingOrDamagedFile_IsNotOwnNorForeign()
    {
        var run = new RunFolder(_options, 6, Guid.NewGuid());
        run.Claim();
        File.WriteAllText(run.BestCheckpoint(), "not a checkpoint");

        Assert.False(run.IsOwnCheckpoint(run.LastCheckpoint()));
        Assert.False(run.IsOwnCheckpoint(run.BestCheckpoint()));
        Assert.False(run.IsForeignCheckpoint(run.BestCheckpoint()));
        Assert.Throws<PalmLabException>(() => run.EnsureOwnCheckpoint(run.LastCheckpoint()));
    }

    [Fact]
    public void IsOwnCheckpoint_CheckpointWithoutIdentity_IsTheRunsOnlyInAFolderAdoptedAsItsLegacy()
    {
        var legacy = new RunFolder(_options, 8, Guid.NewGuid());
        var other = new RunFolder(_options, 8, Guid.NewGuid());
        Directory.CreateDirectory(legacy.FoldFolder(1));
        WriteCheckpoint(legacy.LastCheckpoint(1), null);

        // Unmarked, it is nobody's; adopted (as the start-up sweep does), it is that run's and no other's.
        Assert.False(legacy.IsOwnCheckpoint(legacy.LastCheckpoint(1)));
        RunFiles.WriteMarker(legacy.Path, new RunFiles.Marker(8, legacy.Uid, Legacy: true));
        Assert.True(legacy.IsOwnCheckpoint(legacy.LastCheckpoint(1)));
        Assert.False(other.IsOwnCheckpoint(legacy.LastCheckpoint(1)));

        // A marker that is not a legacy adoption proves nothing about a checkpoint without identity.
        RunFiles.WriteMarker(legacy.Path, new RunFiles.Marker(8, legacy.Uid));
        Assert.False(legacy.IsOwnCheckpoint(legacy.LastCheckpoint(1)));
    }

    [Fact]
    public void DeleteOwnFolders_DeletesTheRunsFoldersAndLeavesAnotherRunsFolderOfTheSameName()
    {
        var run = new RunFolder(_options, 11, Guid.NewGuid());
        var other = new RunFolder(_options, 11, Guid.NewGuid());
        run.Claim();
        WriteCheckpoint(run.LastCheckpoint(), run.Uid);
        other.ClaimJobFolder();

        var left = run.DeleteOwnFolders();

        Assert.False(Directory.Exists(run.Path));
        Assert.Equal([run.JobFolder], left);
        Assert.True(RunFiles.IsOwnedBy(other.JobFolder, other.Uid));
        Assert.Empty(new RunFolder(_options, 12, Guid.NewGuid()).DeleteOwnFolders());
    }

    [Fact]
    public async Task FindAsync_RunOfTheDatabase_CarriesItsIdentity()
    {
        using var seed = new RunListSeed();
        var run = RunListSeed.NewRun(seed.NewDataSet("folders"), "identity", 0);
        await seed.AddAsync(run);
        await using var db = await seed.Factory.CreateDbContextAsync();

        var found = await RunFolder.FindAsync(db, _options, run.Id, CancellationToken.None);

        Assert.NotNull(found);
        Assert.Equal((run.Id, run.Uid), (found.RunId, found.Uid));
        Assert.Equal(RunFolder.Of(_options, run).Path, found.Path);
        Assert.Null(await RunFolder.FindAsync(db, _options, run.Id + 1, CancellationToken.None));
    }

    // A checkpoint whose header alone is written (all the identity checks read), carrying uid (or no identity).
    private static void WriteCheckpoint(string path, Guid? uid)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var header = new CheckpointHeader(new TrainingConfig { TrainDir = "/d", RunUid = uid }, 1, 4, null, null, null, DateTimeOffset.UnixEpoch);
        using var writer = new BinaryWriter(File.Create(path), Encoding.UTF8);
        writer.Write("PALMLAB-CHECKPOINT");
        writer.Write(2);
        writer.Write(JsonSerializer.Serialize(header));
    }
}
