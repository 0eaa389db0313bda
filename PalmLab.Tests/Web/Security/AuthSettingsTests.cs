using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PalmLab.Web.Extensions;
using PalmLab.Web.Security;

namespace PalmLab.Tests.Web.Security;

/// <summary>The PalmLab:Auth settings as the app registers them: when sign-in is required, and what refuses a start.</summary>
public class AuthSettingsTests
{
    [Fact]
    public void Loopback_NoCredentials_NotRequiredAndValid()
    {
        var (requirement, problem) = Resolve(new() { ["urls"] = "http://127.0.0.1:5180" });

        Assert.Null(problem);
        Assert.False(requirement!.Required);
    }

    [Theory]
    [InlineData("http://0.0.0.0:5180")]
    [InlineData("http://+:5180")]
    [InlineData("http://*:5180")]
    [InlineData("http://192.168.1.20:5180")]
    [InlineData("http://palmlab-host:5180")]
    public void NonLoopback_NoCredentials_RefusedNamingEverySettingToSet(string url)
    {
        var (_, problem) = Resolve(new() { ["urls"] = $"http://127.0.0.1:5180;{url}" });

        Assert.NotNull(problem);
        var message = Assert.Single(problem.Failures);
        Assert.Contains(url, message);
        Assert.Contains("not loopback", message);
        foreach (var setting in new[] { "PalmLab__Auth__AdminUser", "PalmLab__Auth__AdminPassword", "PalmLab__Auth__ApiKey" })
        {
            Assert.Contains(setting, message);
        }
    }

    [Fact]
    public void NonLoopback_OneCredentialMissing_NamesOnlyThatOne()
    {
        var settings = Credentials("http://0.0.0.0:5180");
        settings.Remove("PalmLab:Auth:ApiKey");

        var (_, problem) = Resolve(settings);

        var message = Assert.Single(problem!.Failures);
        Assert.Contains("set PalmLab:Auth:ApiKey (as environment variables: PalmLab__Auth__ApiKey)", message);
        Assert.DoesNotContain("AdminPassword", message);
    }

    [Fact]
    public void NonLoopback_AllCredentials_RequiredAndValid()
    {
        var (requirement, problem) = Resolve(Credentials("http://0.0.0.0:5180"));

        Assert.Null(problem);
        Assert.True(requirement!.Required);
        Assert.Equal(["http://0.0.0.0:5180"], requirement.ExposedAddresses);
    }

    [Fact]
    public void RequireAlways_OnLoopback_Required()
    {
        var settings = Credentials("http://127.0.0.1:5180");
        settings["PalmLab:Auth:Require"] = "Always";

        var (requirement, problem) = Resolve(settings);

        Assert.Null(problem);
        Assert.True(requirement!.Required);
    }

    [Theory]
    [InlineData("never")]
    [InlineData("off")]
    [InlineData("false")]
    public void Require_AnythingButAutoOrAlways_Refused(string value)
    {
        var settings = Credentials("http://0.0.0.0:5180");
        settings["PalmLab:Auth:Require"] = value;

        var (_, problem) = Resolve(settings);

        Assert.Contains(problem!.Failures, f => f.Contains("must be auto or always", StringComparison.Ordinal));
    }

    [Fact]
    public void ShortApiKeyAndPassword_Refused()
    {
        var settings = Credentials("http://0.0.0.0:5180");
        settings["PalmLab:Auth:ApiKey"] = new string('k', AuthOptions.MinApiKeyLength - 1);
        settings["PalmLab:Auth:AdminPassword"] = new string('p', AuthOptions.MinPasswordLength - 1);

        var (_, problem) = Resolve(settings);

        Assert.Contains(problem!.Failures, f => f.StartsWith("PalmLab:Auth:ApiKey must be at least 16 characters", StringComparison.Ordinal));
        Assert.Contains(problem.Failures, f => f.StartsWith("PalmLab:Auth:AdminPassword must be at least 8 characters", StringComparison.Ordinal));
    }

    private static Dictionary<string, string?> Credentials(string urls)
    {
        var settings = TestCredentials.Settings().ToDictionary(s => "PalmLab:" + s.Key, s => s.Value);
        settings["urls"] = urls;
        return settings;
    }

    private static (SignInRequirement? Requirement, OptionsValidationException? Problem) Resolve(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddPalmLabSecurity();
        using var provider = services.BuildServiceProvider();
        try
        {
            _ = provider.GetRequiredService<IOptions<AuthOptions>>().Value;
            return (provider.GetRequiredService<SignInRequirement>(), null);
        }
        catch (OptionsValidationException e)
        {
            return (null, e);
        }
    }
}
