namespace PalmLab.Web.Slurm;

/// <summary>
/// Checks PalmLab:Slurm:Command on the dashboard's machine before a job is submitted: a job whose command is missing
/// would fail on its node with only "not found" in its output. The nodes see the same shared file system, so a
/// command that is not here is most likely not there either.
/// </summary>
public static class SlurmCommand
{
    /// <summary>
    /// Why <paramref name="command"/> cannot start palmlab (its program is not a file and not on
    /// <paramref name="path"/>, the PATH; or "dotnet X.dll" names a missing X.dll); null when it can.
    /// </summary>
    public static string? Problem(string command, string? path)
    {
        var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return "PalmLab:Slurm:Command is empty: set it to how a node starts palmlab" + Example;
        }
        var program = words[0];
        var relative = words.FirstOrDefault(w => w.Contains('/') && !Path.IsPathRooted(w));
        if (relative is not null)
        {
            return $"PalmLab:Slurm:Command names {relative}, a relative path, but a job starts in its own folder: give the full path" + Example;
        }
        if (Resolve(program, path) is null)
        {
            return program.Contains('/')
                ? $"PalmLab:Slurm:Command names {program}, which does not exist or is not executable: set it to how a node starts palmlab" + Example
                : $"PalmLab:Slurm:Command is \"{command}\", and {program} is not on the dashboard's PATH: set it to how a node starts palmlab" + Example;
        }
        var dll = words.Skip(1).FirstOrDefault(w => w.EndsWith(".dll", StringComparison.OrdinalIgnoreCase));
        if (dll is not null && !File.Exists(dll))
        {
            return $"PalmLab:Slurm:Command names {dll}, which does not exist: build or publish PalmLab.Cli there, or set the command" + Example;
        }
        return null;
    }

    private const string Example = ", as a full path on the shared file system, such as \"dotnet /shared/palmlab/palmlab.dll\" " +
        "(a build puts it in PalmLab.Cli/bin/Release/net10.0/palmlab.dll) or the published /shared/palmlab/palmlab.";

    private static string? Resolve(string program, string? path)
    {
        if (program.Contains('/'))
        {
            return IsExecutable(program) ? program : null;
        }
        return (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(IsExecutable);
    }

    private static bool IsExecutable(string file) => File.Exists(file)
        && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);
}
