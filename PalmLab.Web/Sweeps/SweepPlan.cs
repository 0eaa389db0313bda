using PalmLab.Engine.Sweeps;

namespace PalmLab.Web.Sweeps;

/// <summary>A sweep request checked and expanded: the spec and its trials, or the problems, one list per field.</summary>
public sealed record SweepPlan(SweepSpec? Spec, IReadOnlyList<SweepTrial> Trials, Dictionary<string, string[]> Errors)
{
    public bool IsValid => Spec is not null && Errors.Count == 0;
}
