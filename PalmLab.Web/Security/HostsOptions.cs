namespace PalmLab.Web.Security;

/// <summary>
/// The host names the dashboard answers to (PalmLab:AllowedHosts), besides the loopback names it always answers to.
/// A request whose Host header names any other is refused, so a page whose name an attacker points at 127.0.0.1
/// (DNS rebinding) cannot read or change anything. Off loopback, set it to the names users and Slurm nodes type.
/// </summary>
public sealed class HostsOptions
{
    public const string SectionName = "PalmLab";

    /// <summary>
    /// Host names without scheme or port, separated by ';' (<c>palmlab.lab.example;10.0.0.5</c>); "*" answers to any.
    /// The host of PalmLab:Slurm:ServerUrl is added by itself.
    /// </summary>
    public string? AllowedHosts { get; set; }
}
