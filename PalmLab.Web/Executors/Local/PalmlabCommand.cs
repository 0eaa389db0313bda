namespace PalmLab.Web.Executors.Local;

/// <summary>
/// How the dashboard starts <c>palmlab</c>: palmlab.dll ships beside the dashboard (PalmLab.Web references PalmLab.Cli),
/// and runs on the same dotnet host as the dashboard.
/// </summary>
public static class PalmlabCommand
{
    /// <summary>The program to run and its first arguments, before "job ...".</summary>
    public static (string FileName, IReadOnlyList<string> Arguments) Resolve()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "palmlab.dll");
        if (!File.Exists(dll))
        {
            throw new PalmLab.Engine.PalmLabException($"{dll} is missing: build the dashboard from the solution (PalmLab.Web references PalmLab.Cli).");
        }
        return (DotnetHost(), [dll]);
    }

    // The dashboard runs as `dotnet PalmLab.Web.dll` (or a test host under dotnet), or as its apphost, which the SDK
    // tells where dotnet is through DOTNET_HOST_PATH when it runs it; else dotnet from PATH.
    private static string DotnetHost()
    {
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }
        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
    }
}
