using PalmLab.Engine.Training;

namespace PalmLab.Web.Runs;

/// <summary>
/// What a run trains now: its configuration, the checkpoint it continues from, (cross-validated) its first fold, and its
/// files (where it writes its checkpoints).
/// </summary>
public sealed record RunPlan(TrainingConfig Config, string? ResumeFrom, int FirstFold, RunFolder Folder);
