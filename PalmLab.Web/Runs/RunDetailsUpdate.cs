namespace PalmLab.Web.Runs;

/// <summary>
/// A change to a run's name, notes and tags, as PATCH /api/runs/{id} and the run page send it. A null field is left as
/// it is; an empty one clears notes or tags. Tags are comma-separated, as when a run is queued.
/// </summary>
public sealed record RunDetailsUpdate(string? Name = null, string? Notes = null, string? Tags = null);
