using PalmLab.Web.Data;

namespace PalmLab.Bench;

/// <summary>A run the scale benchmark stored: what its pages should show, to know when they show it.</summary>
public sealed record SeededRun(int Id, string Name, RunStatus Status, int? Folds, int EpochsDone);
