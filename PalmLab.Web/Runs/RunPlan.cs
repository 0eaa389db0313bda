using PalmLab.Engine.Training;

namespace PalmLab.Web.Runs;

/// <summary>What a run trains now: its configuration, the checkpoint it continues from, and (cross-validated) its first fold.</summary>
public sealed record RunPlan(TrainingConfig Config, string? ResumeFrom, int FirstFold);
