using PalmLab.Web.Data;

namespace PalmLab.Web.Runs;

/// <summary>The outcome of <see cref="RunService.UpdateDetailsAsync"/>: the saved run, no such run, or a message per field.</summary>
public sealed record RunDetailsResult(bool Found, Run? Run, Dictionary<string, string[]> Errors)
{
    public static readonly RunDetailsResult NotFound = new(false, null, []);
}
