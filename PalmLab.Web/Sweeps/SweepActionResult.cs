namespace PalmLab.Web.Sweeps;

/// <summary>What became of an action on a sweep: done, no such sweep, or refused (409) with the reason.</summary>
public sealed record SweepActionResult(bool Found, string? Refusal)
{
    public static readonly SweepActionResult Done = new(true, null);

    public static readonly SweepActionResult NotFound = new(false, null);

    public static SweepActionResult Conflict(string reason) => new(true, reason);
}
