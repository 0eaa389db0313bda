using System.Diagnostics;
using Microsoft.Extensions.Options;
using PalmLab.Tests.Support;

namespace PalmLab.Tests.Web.Security;

public class StartupRefusalTests
{
    [Fact]
    public void InProcess_NonLoopbackWithoutCredentials_DoesNotStart()
    {
        using var app = new PalmLabAppFactory(urls: "http://0.0.0.0:5180");

        var refused = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains("PalmLab listens on http://0.0.0.0:5180, which is not loopback, so it requires sign-in", refused.Message);
    }

    [Fact]
    public void InProcess_NonLoopbackWithCredentials_Starts()
    {
        using var app = new PalmLabAppFactory(settings: TestCredentials.Settings(), urls: "http://0.0.0.0:5180");

        using var client = app.CreateClient();

        Assert.NotNull(client);
    }

    [Fact]
    public async Task Process_OnAllInterfacesWithoutCredentials_ExitsNonZeroWithOneLineAndTouchesNothing()
    {
        using var temp = new TempDir();
        var database = temp.File("palmlab.db");
        var start = WebProcess.StartInfo(new Dictionary<string, string>
        {
            ["DatabasePath"] = database,
            ["CheckpointsDir"] = temp.Sub("checkpoints"),
            ["DataSetsDir"] = temp.Sub("datasets"),
        }, new Uri("http://0.0.0.0:5180"));
        foreach (var inherited in new[] { "AdminUser", "AdminPassword", "ApiKey", "Require" })
        {
            start.Environment.Remove("PalmLab__Auth__" + inherited);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var output = (await stdout + await stderr).Trim();

        Assert.Equal(1, process.ExitCode);
        var line = Assert.Single(output.Split('\n'));
        Assert.StartsWith("error: PalmLab listens on http://0.0.0.0:5180, which is not loopback", line);
        Assert.Contains("PalmLab__Auth__AdminPassword", line);
        Assert.DoesNotContain("Exception", line);
        Assert.False(File.Exists(database), "the refused start created the database");
    }
}
