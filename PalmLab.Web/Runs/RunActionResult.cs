namespace PalmLab.Web.Runs;

/// <summary>The outcome of an action on a run: done, no such run, or refused with a reason.</summary>
public sealed record RunActionResult(bool Found, string? Refusal)
{
    public static readonly RunActionResult Done = new(true, null);
    public static readonly RunActionResult NotFound = new(false, null);

    public static RunActionResult Conflict(string reason) => new(true, reason);
}
