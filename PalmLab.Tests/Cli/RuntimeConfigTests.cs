using System.Text.Json.Nodes;

namespace PalmLab.Tests.Cli;

/// <summary>How the .NET runtime runs palmlab, the process every run trains in (the dashboard's jobs included).</summary>
public class RuntimeConfigTests
{
    [Fact]
    public void Palmlab_CompilesEachMethodOnceOptimised_WithoutTiers()
    {
        // Tiered recompilation on a background thread competed with libtorch's threads through a run's first epoch
        // (issue 24, docs/benchmarks.md): palmlab turns it off in its project file, which writes this.
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "palmlab.runtimeconfig.json")))!;

        Assert.False((bool?)config["runtimeOptions"]?["configProperties"]?["System.Runtime.TieredCompilation"] ?? true,
            "palmlab.runtimeconfig.json does not turn tiered compilation off: <TieredCompilation>false</TieredCompilation> in PalmLab.Cli.csproj");
    }
}
