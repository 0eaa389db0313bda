using System.Runtime.CompilerServices;

namespace PalmLab.Tests.Support;

/// <summary>
/// The processes the tests start (palmlab, the dashboards' training children, Slurm jobs) compile with tiers. palmlab
/// turns tiering off for a user's runs, whose first epoch it slowed by 7% (RuntimeConfigTests); a test's runs last a
/// few seconds, most of it start-up, which tiering makes faster: the CLI tests took 98-106 s with it against 130 s without.
/// The environment variable overrides the runtimeconfig, and only how methods are compiled differs.
/// </summary>
internal static class ChildProcessJit
{
    [ModuleInitializer]
    internal static void TieredForChildren() => Environment.SetEnvironmentVariable("DOTNET_TieredCompilation", "1");
}
