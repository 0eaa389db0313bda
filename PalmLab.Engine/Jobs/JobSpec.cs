using PalmLab.Engine.Training;

namespace PalmLab.Engine.Jobs;

/// <summary>
/// What a job on a cluster node trains, as the dashboard hands it over (<c>GET /api/jobs/{run}/spec</c>): the run's
/// configuration with the folders as the node sees them, and where to start.
/// </summary>
/// <param name="RunId">The run the job trains.</param>
/// <param name="Config">Its options, with the data set's folders as the node sees them.</param>
/// <param name="CheckpointDir">The run's checkpoint folder on the shared file system; null when the job writes its
/// checkpoints to its own scratch folder and uploads them.</param>
/// <param name="FirstFold">The fold to start with (1 for an ordinary run).</param>
/// <param name="ResumeFrom">The checkpoint to continue from, as the node sees it; null to start afresh. Without a
/// shared folder the job downloads it.</param>
/// <param name="DownloadResume">Whether the job downloads the checkpoint to continue from (there is no shared folder).</param>
public sealed record JobSpec(int RunId, TrainingConfig Config, string? CheckpointDir, int FirstFold, string? ResumeFrom, bool DownloadResume);
