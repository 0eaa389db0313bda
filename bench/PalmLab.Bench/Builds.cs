namespace PalmLab.Bench;

/// <summary>
/// One checkout of the project built in Release (`dotnet build PalmLab.sln -c Release` in it), as the before/after
/// benchmarks compare two of them: its web app and its CLI run from their own output folders, never this benchmark's.
/// </summary>
public sealed record Build(string Name, string Root)
{
    public string WebDir => Path.Combine(Root, "PalmLab.Web", "bin", "Release", "net10.0");

    public string CliDll => Path.Combine(Root, "PalmLab.Cli", "bin", "Release", "net10.0", "palmlab.dll");

    /// <summary>"before" and "after" from the first two arguments, each checked to hold both builds.</summary>
    public static (Build Before, Build After) FromArgs(string[] args, string mode)
    {
        if (args.Length < 2)
        {
            throw new ArgumentException($"{mode} needs two built checkouts: BEFORE AFTER");
        }
        return (Check(new Build("before", Path.GetFullPath(args[0]))), Check(new Build("after", Path.GetFullPath(args[1]))));
    }

    private static Build Check(Build build)
    {
        foreach (var file in new[] { Path.Combine(build.WebDir, "PalmLab.Web.dll"), build.CliDll })
        {
            if (!File.Exists(file))
            {
                throw new ArgumentException($"{build.Name}: no {file} (build it with `dotnet build PalmLab.sln -c Release` in {build.Root})");
            }
        }
        return build;
    }

    /// <summary>The two builds in the order of round <paramref name="round"/> (from 1): before first in odd rounds, after first in even ones.</summary>
    public static IEnumerable<Build> Alternating(Build before, Build after, int round) =>
        round % 2 == 1 ? [before, after] : [after, before];
}
