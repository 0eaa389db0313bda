namespace PalmLab.Web.Security;

/// <summary>Whether the dashboard asks for sign-in and an API key, and why.</summary>
/// <param name="Required">True when every page and API call needs a signed-in user or the API key.</param>
/// <param name="ExposedAddresses">The configured listen addresses that are not loopback.</param>
public sealed record SignInRequirement(bool Required, IReadOnlyList<string> ExposedAddresses, string Reason)
{
    public static SignInRequirement From(IConfiguration configuration, AuthOptions options)
    {
        var exposed = ListenAddresses.FromConfiguration(configuration).Where(a => !ListenAddresses.IsLoopback(a)).ToList();
        if (exposed.Count > 0)
        {
            return new(true, exposed, $"PalmLab listens on {string.Join(" and ", exposed)}, which is not loopback");
        }
        if (string.Equals(options.Require, AuthOptions.Always, StringComparison.OrdinalIgnoreCase))
        {
            return new(true, exposed, $"PalmLab:Auth:Require is {AuthOptions.Always}");
        }
        return new(false, exposed, "PalmLab listens on loopback only");
    }
}
