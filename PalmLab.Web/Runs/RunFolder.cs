using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PalmLab.Engine;
using PalmLab.Engine.Training;
using PalmLab.Web.Data;
using PalmLab.Web.Options;
using IOPath = System.IO.Path;

namespace PalmLab.Web.Runs;

/// <summary>
/// The files of one run, and the run they belong to (its id AND its identity, <see cref="Run.Uid"/>): every path of a
/// run is made here, and every check that a folder or checkpoint is provably the run's goes through here (marker and
/// header formats: <see cref="RunFiles"/>). Ids start again at 1 in a new database, so a path alone proves nothing.
/// <code>
/// CheckpointsDir/run-N/                  the run's folder, with its marker (.palmlab-run: id and identity)
///   last.ckpt, best.ckpt                 an ordinary run's checkpoints (the Trainer's names)
///   fold-K/last.ckpt, fold-K/best.ckpt   fold K's, in a cross-validation (CrossValidation.FoldFolder)
/// Slurm.WorkDir/run-N/                   its Slurm job's folder, with its marker
///   job.sh, token, slurm-JOBID.out       the batch script, the job's token, the job's output
///   (run-N/job/: token, output.log, pid, scratch/: a local run's training process)
/// </code>
/// The names on disk are those every earlier version wrote: existing folders keep working.
/// </summary>
public sealed class RunFolder
{
    private const string NamePrefix = "run-";
    private const string JobScriptName = "job.sh";
    private const string TokenName = "token";
    private const string LocalJobName = "job";

    /// <summary>The run's files under the folders that <paramref name="options"/> name.</summary>
    public RunFolder(PalmLabOptions options, int runId, Guid uid)
    {
        RunId = runId;
        Uid = uid;
        Path = IOPath.GetFullPath(IOPath.Combine(options.CheckpointsDir, NameOf(runId)));
        JobFolder = IOPath.GetFullPath(IOPath.Combine(options.Slurm.WorkDir, NameOf(runId)));
    }

    /// <summary>The files of <paramref name="run"/>.</summary>
    public static RunFolder Of(PalmLabOptions options, Run run) => new(options, run.Id, run.Uid);

    /// <summary>The files of run <paramref name="runId"/> as <paramref name="db"/> knows it, or null when there is no such run.</summary>
    public static async Task<RunFolder?> FindAsync(PalmLabDbContext db, PalmLabOptions options, int runId, CancellationToken cancellationToken)
    {
        var uid = await db.Runs.Where(r => r.Id == runId).Select(r => (Guid?)r.Uid).SingleOrDefaultAsync(cancellationToken);
        return uid is { } found ? new RunFolder(options, runId, found) : null;
    }

    public int RunId { get; }

    /// <summary>The run's identity, written into its folders' markers and its checkpoints' headers.</summary>
    public Guid Uid { get; }

    /// <summary>The run's folder (full path): its checkpoints, or its folds' folders.</summary>
    public string Path { get; }

    /// <summary>The folder (full path) of the run's Slurm job: its script, token and output.</summary>
    public string JobFolder { get; }

    /// <summary>The folder of the run's local training process (job/ in the run's folder): token, output, pid, scratch.</summary>
    public string LocalJobFolder => IOPath.Combine(Path, LocalJobName);

    /// <summary>The local training process's token (its own, as a Slurm job's).</summary>
    public string LocalJobToken => IOPath.Combine(LocalJobFolder, TokenName);

    /// <summary>The local training process's stdout and stderr, appended to (a resumed run's next process writes after the last).</summary>
    public string LocalJobOutput => IOPath.Combine(LocalJobFolder, "output.log");

    /// <summary>"PID STARTTIME": the local training process's pid and its start time from /proc/PID/stat, so a reused pid is not taken for it.</summary>
    public string LocalJobPid => IOPath.Combine(LocalJobFolder, "pid");

    /// <summary>The local training process's scratch folder (report outbox, image cache).</summary>
    public string LocalJobScratch => IOPath.Combine(LocalJobFolder, "scratch");

    /// <summary>The job's batch script.</summary>
    public string JobScript => IOPath.Combine(JobFolder, JobScriptName);

    /// <summary>The file holding the job's token (readable by the dashboard's user only).</summary>
    public string TokenFile => IOPath.Combine(JobFolder, TokenName);

    /// <summary>The output of the run's Slurm job <paramref name="jobId"/>.</summary>
    public string JobOutput(string jobId) => IOPath.Combine(JobFolder, JobOutputName(jobId));

    /// <summary>The name of job <paramref name="jobId"/>'s output file; "%j" gives sbatch's pattern for it.</summary>
    public static string JobOutputName(string jobId) => $"slurm-{jobId}.out";

    /// <summary>Fold <paramref name="fold"/>'s folder in a cross-validation (the engine's layout).</summary>
    public string FoldFolder(int fold) => CrossValidation.FoldFolder(Path, fold);

    /// <summary>Where the checkpoints go: the run's folder for an ordinary run, fold K's for fold K of a cross-validation.</summary>
    public string CheckpointFolder(int? fold) => fold is { } f ? FoldFolder(f) : Path;

    /// <summary>The <paramref name="kind"/> checkpoint of the run, or of its fold <paramref name="fold"/>.</summary>
    public string Checkpoint(CheckpointKind kind, int? fold = null) =>
        IOPath.Combine(CheckpointFolder(fold), kind == CheckpointKind.Best ? Trainer.BestCheckpointName : Trainer.LastCheckpointName);

    /// <summary>The last checkpoint of the run, or of its fold <paramref name="fold"/>.</summary>
    public string LastCheckpoint(int? fold = null) => Checkpoint(CheckpointKind.Last, fold);

    /// <summary>The best checkpoint of the run, or of its fold <paramref name="fold"/>.</summary>
    public string BestCheckpoint(int? fold = null) => Checkpoint(CheckpointKind.Best, fold);

    /// <summary>
    /// A new file beside the <paramref name="kind"/> checkpoint of the run (or its fold) to receive an upload of it, moved
    /// over the checkpoint once it is whole and proven the run's: ".best.upload-GUID".
    /// </summary>
    public string CheckpointUpload(CheckpointKind kind, int? fold) =>
        IOPath.Combine(CheckpointFolder(fold), $".{kind.ToString().ToLowerInvariant()}.upload-{Guid.NewGuid():N}");

    /// <summary>A download's name for a checkpoint, without extension: "run-7-best", "run-7-fold-2-last".</summary>
    public string DownloadName(CheckpointKind kind, int? fold)
    {
        var name = kind.ToString().ToLowerInvariant();
        return fold is { } f ? $"{NameOf(RunId)}-fold-{f}-{name}" : $"{NameOf(RunId)}-{name}";
    }

    /// <summary>The name of run <paramref name="runId"/>'s folders: "run-7".</summary>
    public static string NameOf(int runId) => NamePrefix + runId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The search pattern that finds run folders in a folder.</summary>
    public const string NamePattern = NamePrefix + "*";

    /// <summary>The run a folder named <paramref name="name"/> ("run-7") is named for; false for any other name.</summary>
    public static bool TryParseName(string name, out int runId)
    {
        runId = 0;
        return name.StartsWith(NamePrefix, StringComparison.Ordinal)
            && int.TryParse(name.AsSpan(NamePrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out runId);
    }

    /// <summary>Whether the run's folder exists and its marker names this run's identity.</summary>
    public bool IsClaimed => RunFiles.IsOwnedBy(Path, Uid);

    /// <summary>
    /// Makes the run's folder its own before anything reads or writes there: a folder of its name that is not provably
    /// the run's is moved aside whole. Returns where the foreign folder went, or null.
    /// </summary>
    public string? Claim() => RunFiles.Claim(Path, RunId, Uid);

    /// <summary>As <see cref="Claim"/>, for the run's Slurm job folder.</summary>
    public string? ClaimJobFolder() => RunFiles.Claim(JobFolder, RunId, Uid);

    /// <summary>Whether the checkpoint at <paramref name="path"/> is provably this run's (false when missing or unreadable).</summary>
    public bool IsOwnCheckpoint(string path) => RunFiles.IsOwnCheckpoint(path, Uid);

    /// <summary>As <see cref="IsOwnCheckpoint(string)"/>, with its header already read.</summary>
    public bool IsOwnCheckpoint(CheckpointHeader header, string path) => RunFiles.IsOwnCheckpoint(header, path, Uid);

    /// <summary>Whether the checkpoint at <paramref name="path"/> reads as another run's (a damaged file is not foreign).</summary>
    public bool IsForeignCheckpoint(string path) => RunFiles.IsForeignCheckpoint(path, Uid);

    /// <summary>
    /// <paramref name="path"/>, when the checkpoint there is provably this run's; otherwise throws, with a message for the
    /// user: the run never resumes from (nor takes the numbers of) another run's checkpoint.
    /// </summary>
    /// <exception cref="PalmLabException">It belongs to another run, or to none that can be proven.</exception>
    public string EnsureOwnCheckpoint(string path) => IsOwnCheckpoint(path)
        ? path
        : throw new PalmLabException($"{IOPath.GetFileName(path)} in this run's folder was written by another run, so the run does not resume from it; clone it to train afresh.");

    /// <summary>
    /// Deletes the run's folder and its job folder where each is provably the run's; returns those left because they
    /// belong to another run (of another database, say).
    /// </summary>
    public IReadOnlyList<string> DeleteOwnFolders()
    {
        var left = new List<string>();
        foreach (var folder in new[] { Path, JobFolder })
        {
            if (Directory.Exists(folder) && RunFiles.IsOwnedBy(folder, Uid))
            {
                Directory.Delete(folder, recursive: true);
            }
            else if (Directory.Exists(folder))
            {
                left.Add(folder);
            }
        }
        return left;
    }
}
