using System.ComponentModel.DataAnnotations;

namespace PalmLab.Web.Security;

/// <summary>
/// Sign-in for the dashboard, bound from "PalmLab:Auth". Sign-in is required when PalmLab listens on anything but
/// loopback (see <see cref="SignInRequirement"/>); then all three credentials must be set, in practice as environment
/// variables (<c>PalmLab__Auth__AdminPassword</c>) rather than in appsettings.json.
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "PalmLab:Auth";

    public const string Auto = "auto";
    public const string Always = "always";

    public const int MinPasswordLength = 8;
    public const int MinApiKeyLength = 16;

    /// <summary>The user name of the one account that signs in to the dashboard.</summary>
    public string? AdminUser { get; set; }

    /// <summary>That account's password.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>The key scripts send to the API, as <c>Authorization: Bearer KEY</c> or <c>X-Api-Key: KEY</c>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// "auto": sign-in is required when any listen address is not loopback; "always": also on loopback. There is no
    /// value that turns it off: an exposed dashboard without credentials refuses to start.
    /// </summary>
    [RegularExpression("^(?i)(auto|always)$",
        ErrorMessage = "PalmLab:Auth:Require must be auto or always (sign-in cannot be turned off off loopback).")]
    public string Require { get; set; } = Auto;
}
