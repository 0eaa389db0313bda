namespace PalmLab.Tests.Support;

/// <summary>What every failing <c>palmlab</c> command owes its user: an exit code, one <c>error:</c> line per fault, no stack trace.</summary>
public static class CliAssert
{
    public static void FailsWithOneLine(CliProcess.Result result, int exitCode, params string[] expected)
    {
        Assert.True(result.ExitCode == exitCode, $"exit code {result.ExitCode}, not {exitCode}; stderr: {result.StdErr}");
        Assert.DoesNotContain("   at ", result.StdErr);
        var error = Assert.Single(result.StdErr.Split('\n'), l => l.StartsWith("error: ", StringComparison.Ordinal));
        foreach (var text in expected)
        {
            Assert.Contains(text, error);
        }
    }
}
