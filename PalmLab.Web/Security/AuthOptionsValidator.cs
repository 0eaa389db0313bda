using Microsoft.Extensions.Options;

namespace PalmLab.Web.Security;

/// <summary>
/// Refuses to start when sign-in is required and a credential is missing or too short, naming each setting to set:
/// a dashboard reachable from other machines never runs open.
/// </summary>
public sealed class AuthOptionsValidator(IConfiguration configuration) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var requirement = SignInRequirement.From(configuration, options);
        if (!requirement.Required)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        string[] missing =
        [
            .. IsBlank(options.AdminUser) ? [nameof(AuthOptions.AdminUser)] : Array.Empty<string>(),
            .. IsBlank(options.AdminPassword) ? [nameof(AuthOptions.AdminPassword)] : Array.Empty<string>(),
            .. IsBlank(options.ApiKey) ? [nameof(AuthOptions.ApiKey)] : Array.Empty<string>(),
        ];
        if (missing.Length > 0)
        {
            failures.Add($"{requirement.Reason}, so it requires sign-in: set {Settings(missing, ":")} "
                + $"(as environment variables: {Settings(missing, "__")})");
        }
        if (!IsBlank(options.AdminPassword) && options.AdminPassword!.Length < AuthOptions.MinPasswordLength)
        {
            failures.Add($"PalmLab:Auth:AdminPassword must be at least {AuthOptions.MinPasswordLength} characters long");
        }
        if (!IsBlank(options.ApiKey) && options.ApiKey!.Length < AuthOptions.MinApiKeyLength)
        {
            failures.Add($"PalmLab:Auth:ApiKey must be at least {AuthOptions.MinApiKeyLength} characters long "
                + "(openssl rand -hex 32 makes a good one)");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsBlank(string? value) => string.IsNullOrWhiteSpace(value);

    private static string Settings(IReadOnlyList<string> names, string separator)
    {
        var full = names.Select(n => string.Join(separator, "PalmLab", "Auth", n)).ToList();
        return full.Count == 1 ? full[0] : string.Join(", ", full[..^1]) + " and " + full[^1];
    }
}
