namespace PalmLab.Web.Executors;

/// <summary>Files only the dashboard's user may read: a run's token lets its holder report for the run.</summary>
public static class PrivateFile
{
    public static async Task WriteAsync(string path, string text, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Delete(path);
        await File.WriteAllTextAsync(path, "", cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        await File.WriteAllTextAsync(path, text, cancellationToken);
    }
}
