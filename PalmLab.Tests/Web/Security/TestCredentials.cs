namespace PalmLab.Tests.Web.Security;

/// <summary>The admin account and API key the secured test apps are given, as PalmLabAppFactory settings.</summary>
public static class TestCredentials
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "correct horse battery";
    public const string ApiKey = "test-api-key-0123456789abcdef";

    /// <summary>The three credentials, with <c>Require</c> when given (keys relative to the PalmLab section).</summary>
    public static Dictionary<string, string?> Settings(string? require = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Auth:AdminUser"] = AdminUser,
            ["Auth:AdminPassword"] = AdminPassword,
            ["Auth:ApiKey"] = ApiKey,
        };
        if (require is not null)
        {
            settings["Auth:Require"] = require;
        }
        return settings;
    }
}
