using PalmLab.Engine.Training;
using PalmLab.Web.Data;

namespace PalmLab.Web.Runs;

/// <summary>Something that happened to a run, for in-process subscribers (components).</summary>
public abstract record RunEvent(int RunId);

/// <summary>Coalesced batch losses: every point since the previous message.</summary>
public sealed record BatchLossesEvent(int RunId, IReadOnlyList<BatchPoint> Points) : RunEvent(RunId);

/// <summary>An epoch ended; <see cref="Fold"/> is its cross-validation fold (1..K), null for an ordinary run.</summary>
public sealed record EpochCompletedEvent(int RunId, EpochResult Epoch, int? Fold = null) : RunEvent(RunId);

public sealed record StatusChangedEvent(int RunId, RunStatus Status, string? ErrorMessage) : RunEvent(RunId);
