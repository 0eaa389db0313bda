using System.Text;

namespace PalmLab.Web.Slurm;

/// <summary>The last lines of a job's output file (<see cref="Runs.RunFolder.JobOutput"/>) for the run's message.</summary>
public static class JobOutput
{
    private const int MaxLineLength = 200;
    private const int TailBytes = 64 * 1024;

    /// <summary>
    /// "Its output, FILE, ends: …" with the last <paramref name="lines"/> non-blank lines, each cut to 200 characters;
    /// or says the file is missing or empty. Only the end of a long file is read.
    /// </summary>
    public static string Describe(string file, int lines = 5)
    {
        if (!File.Exists(file))
        {
            return $"Its output {file} does not exist (the job may have failed before it started).";
        }
        var tail = Tail(file, lines);
        return tail.Count == 0
            ? $"Its output {file} is empty."
            : $"Its output {file} ends: " + string.Join(" | ", tail);
    }

    public static IReadOnlyList<string> Tail(string file, int lines)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var start = Math.Max(0, stream.Length - TailBytes);
        stream.Seek(start, SeekOrigin.Begin);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = reader.ReadToEnd();
        var all = text.Split('\n').Select(l => l.TrimEnd('\r').Trim()).ToList();
        if (start > 0 && all.Count > 0)
        {
            all.RemoveAt(0); // cut in the middle
        }
        return all.Where(l => l.Length > 0).TakeLast(lines).Select(Shorten).ToList();
    }

    private static string Shorten(string line) => line.Length <= MaxLineLength ? line : line[..(MaxLineLength - 1)] + "…";
}
