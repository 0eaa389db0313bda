using System.ComponentModel.DataAnnotations;
using PalmLab.Web.Slurm;

namespace PalmLab.Web.Options;

/// <summary>The dashboard's settings, bound from the "PalmLab" section of appsettings.json.</summary>
public sealed class PalmLabOptions
{
    public const string SectionName = "PalmLab";

    /// <summary>SQLite file holding every run; relative paths are relative to the working folder.</summary>
    [Required]
    public string DatabasePath { get; set; } = "data/palmlab.db";

    /// <summary>
    /// Empty: the SQLite file at <see cref="DatabasePath"/>. Otherwise a connection string that chooses the database:
    /// with Host= a PostgreSQL server ("Host=db;Database=palmlab;Username=palmlab"), with Data Source= a SQLite file.
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Folder with one sub-folder of checkpoints per run.</summary>
    [Required]
    public string CheckpointsDir { get; set; } = "data/checkpoints";

    /// <summary>Folder holding the registered data sets.</summary>
    [Required]
    public string DataSetsDir { get; set; } = "data/datasets";

    /// <summary>
    /// Folder of the user's pretrained backbones (<c>NAME.onnx</c>), offered besides the built-in ones as "Start from" in
    /// the New run form and as the option <c>backbone</c>; created at start-up when missing.
    /// </summary>
    [Required]
    public string BackbonesDir { get; set; } = "data/backbones";

    /// <summary>On a start with no data set at all, generate the synthetic demo data set ("demo") first.</summary>
    public bool DemoData { get; set; } = true;

    /// <summary>Width and height of the demo images in pixels.</summary>
    [Range(64, 4096)]
    public int DemoImageSize { get; set; } = 384;

    /// <summary>The largest file an upload on the Data sets page takes, in bytes (the official zips are about 400 MB together).</summary>
    [Range(1, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 2L << 30;

    /// <summary>
    /// The largest image (or labels file) one entry of an imported zip or folder may unpack to, in bytes, counted as it is
    /// written; a larger one is left out and listed in the data set's report.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long MaxImageEntryBytes { get; set; } = 20L << 20;

    /// <summary>The largest image the Predict page and POST /api/predict take, in bytes.</summary>
    [Range(1, int.MaxValue)]
    public long MaxPredictFileBytes { get; set; } = 20L << 20;

    /// <summary>The largest POST /api/predict request (all its files together), in bytes.</summary>
    [Range(1, long.MaxValue)]
    public long MaxPredictRequestBytes { get; set; } = 100L << 20;

    /// <summary>The most images one prediction request (or one choice on the Predict page) may hold.</summary>
    [Range(1, 1000)]
    public int MaxPredictFiles { get; set; } = 50;

    /// <summary>How many trained models prediction keeps loaded (least recently used ones are unloaded first).</summary>
    [Range(1, 32)]
    public int PredictionModels { get; set; } = 2;

    /// <summary>Runs this dashboard trains at a time; 0: none (it shows and records, and another dashboard on the same database trains).</summary>
    [Range(0, 16)]
    public int MaxConcurrentRuns { get; set; } = 1;

    /// <summary>"auto" (CUDA when available), "cpu" or "cuda".</summary>
    [RegularExpression("^(auto|cpu|cuda)$")]
    public string Device { get; set; } = "auto";

    /// <summary>Where queued runs train: "local" (a child `palmlab job` each, beside the dashboard) or "slurm" (a batch job each, see <see cref="Slurm"/>).</summary>
    [RegularExpression("^(local|slurm)$")]
    public string Executor { get; set; } = Data.RunExecutors.Local;

    /// <summary>
    /// This dashboard's name as the owner of the runs it claims (<see cref="Runs.ExecutorInstance"/>). Empty: an id made
    /// once and kept in CheckpointsDir/.palmlab-instance. Two dashboards sharing a database need different ids.
    /// </summary>
    [RegularExpression("^[A-Za-z0-9._:-]{0,100}$")]
    public string? InstanceId { get; set; }

    /// <summary>The Slurm executor's settings (PalmLab:Slurm).</summary>
    public SlurmOptions Slurm { get; set; } = new();

    /// <summary>CPU threads per run; 0 means one per core.</summary>
    [Range(0, 256)]
    public int Threads { get; set; }
}
