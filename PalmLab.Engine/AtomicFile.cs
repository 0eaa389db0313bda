using System.Runtime.InteropServices;

namespace PalmLab.Engine;

/// <summary>Writes a file so that readers, and a crash, see either the old file or the whole new one.</summary>
public static class AtomicFile
{
    /// <summary>
    /// Creates the folder if needed, writes through a hidden temporary file beside <paramref name="path"/>, flushes it to
    /// disk and renames it into place (over an existing file only with <paramref name="overwrite"/>). On any failure the
    /// temporary file is removed and the exception goes on to the caller.
    /// </summary>
    public static void Write(string path, Action<Stream> write, bool overwrite = true)
    {
        var temporary = TemporaryBeside(path);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(temporary)!);
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                // On disk before the rename: after a power cut, a renamed file of zeros must not stand in for the data.
                stream.Flush(flushToDisk: true);
            }
            if (overwrite)
            {
                File.Move(temporary, path, overwrite: true);
            }
            else
            {
                MoveIfAbsent(temporary, path);
            }
        }
        catch
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // The folder itself is unusable; the original error says why.
            }
            throw;
        }
    }

    /// <summary>
    /// Makes <paramref name="destination"/> the same file as <paramref name="source"/>, replacing it at once: a hard link
    /// where the file system has them (no second copy on disk, nothing to write), else a <see cref="Copy"/>.
    /// Safe because files are only ever replaced by renaming a new one into place, never written where they lie.
    /// </summary>
    public static void Link(string source, string destination)
    {
        var temporary = TemporaryBeside(destination);
        if (!OperatingSystem.IsWindows() && HardLink(source, temporary) == 0)
        {
            try
            {
                File.Move(temporary, destination, overwrite: true);
                return;
            }
            catch
            {
                File.Delete(temporary);
                throw;
            }
        }
        Copy(source, destination);
    }

    // File.Move(overwrite: false) on Unix looks for the destination and then renames: of writers racing on one name, more
    // than one "succeeds" and the last replaces the others (3 of 300 trials of 8 at once). A hard link is made or refused
    // (EEXIST) by the file system in one step; only a file system without hard links gets File.Move's check.
    private static void MoveIfAbsent(string temporary, string path)
    {
        const int EEXIST = 17;
        if (!OperatingSystem.IsWindows())
        {
            if (HardLink(temporary, path) == 0)
            {
                File.Delete(temporary);
                return;
            }
            if (Marshal.GetLastPInvokeError() == EEXIST)
            {
                throw new IOException($"{path} already exists.");
            }
        }
        File.Move(temporary, path, overwrite: false);
    }

    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/> through <see cref="Write"/>.</summary>
    public static void Copy(string source, string destination) => Write(destination, stream =>
    {
        using var from = File.OpenRead(source);
        from.CopyTo(stream);
    });

    // A hidden name in the same folder, so that the rename into place stays on one file system.
    private static string TemporaryBeside(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int HardLink(string existing, string link);
}
