using System.ComponentModel.DataAnnotations;

namespace PalmLab.Web.Options;

/// <summary>
/// How a dashboard holds the runs it trains (PalmLab:Leases): each claim holds a run for <see cref="Duration"/>, and the
/// dashboard renews its running runs every <see cref="RenewEvery"/>. A dashboard that stops renewing (killed, its machine
/// gone) loses them when the lease passes: any dashboard on the database then marks them Interrupted, to be resumed.
/// </summary>
public sealed class LeaseOptions : IValidatableObject
{
    public const string SectionName = "PalmLab:Leases";

    /// <summary>How often the dashboard renews its runs' leases and looks for other dashboards' runs whose lease passed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan RenewEvery { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a claim or a renewal holds a run: several renewal periods, so a busy moment never loses a run.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(2);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Duration < 2 * RenewEvery)
        {
            yield return new ValidationResult("PalmLab:Leases:Duration must be at least twice RenewEvery, or a late renewal loses a run that still trains.",
                [nameof(Duration), nameof(RenewEvery)]);
        }
    }
}
