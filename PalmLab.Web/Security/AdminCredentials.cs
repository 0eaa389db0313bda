using Microsoft.Extensions.Options;

namespace PalmLab.Web.Security;

/// <summary>Checks a sign-in against the configured admin account.</summary>
public sealed class AdminCredentials(IOptions<AuthOptions> options)
{
    /// <summary>Both parts are always compared, so the time taken does not tell whether the user name was right.</summary>
    public bool Match(string? user, string? password)
    {
        var auth = options.Value;
        var userMatches = SecretComparer.AreEqual(user, auth.AdminUser);
        var passwordMatches = SecretComparer.AreEqual(password, auth.AdminPassword);
        return userMatches & passwordMatches;
    }
}
