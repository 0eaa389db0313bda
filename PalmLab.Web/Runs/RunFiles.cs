using System.Text.Json;
using PalmLab.Engine;
using PalmLab.Engine.Training;

namespace PalmLab.Web.Runs;

/// <summary>
/// Whether a run's folder and checkpoints are provably its own. A run's folder (CheckpointsDir/run-N) holds a marker
/// file with the run's identity (<see cref="Data.Run.Uid"/>), and every checkpoint it writes carries that identity in its
/// header. Ids start again at 1 in a new database (or on another database), so the id alone never proves anything: a
/// folder or checkpoint of another identity is never trained on, served, predicted with or deleted. The marker and
/// header checks behind <see cref="RunFolder"/>, which every caller asks about a run's files.
/// </summary>
public static class RunFiles
{
    /// <summary>The marker file in a run's folder.</summary>
    public const string MarkerName = ".palmlab-run";

    /// <summary>What a folder's marker says: whose folder it is, and whether it was adopted from before identities existed.</summary>
    public sealed record Marker(int RunId, Guid Uid, bool Legacy = false);

    /// <summary>The folder's marker, or null when it has none (or an unreadable one).</summary>
    public static Marker? ReadMarker(string folder)
    {
        var path = Path.Combine(folder, MarkerName);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<Marker>(File.ReadAllText(path)) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="folder"/> exists and its marker names <paramref name="uid"/>.</summary>
    public static bool IsOwnedBy(string folder, Guid uid) => ReadMarker(folder)?.Uid == uid;

    /// <summary>
    /// Makes <paramref name="folder"/> the run's own before it writes there: a folder already there that is not provably
    /// the run's (another identity, or none) is moved aside whole (<see cref="MoveAside"/>), never written into.
    /// Returns where the foreign folder went, or null.
    /// </summary>
    public static string? Claim(string folder, int runId, Guid uid)
    {
        string? movedTo = null;
        if (Directory.Exists(folder) && !IsOwnedBy(folder, uid))
        {
            movedTo = MoveAside(folder);
        }
        Directory.CreateDirectory(folder);
        if (!IsOwnedBy(folder, uid))
        {
            WriteMarker(folder, new Marker(runId, uid));
        }
        return movedTo;
    }

    /// <summary>Writes the folder's marker (atomically: a crash never leaves half of one).</summary>
    public static void WriteMarker(string folder, Marker marker)
    {
        var path = Path.Combine(folder, MarkerName);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(marker));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>
    /// Moves a folder no run owns to orphaned-run-N-IDENTITY beside it ("unmarked" when it has no marker; a number is
    /// added when that name is taken), where the user can look at it or delete it. Returns the new path.
    /// </summary>
    public static string MoveAside(string folder)
    {
        var full = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
        var owner = ReadMarker(full)?.Uid.ToString("N") ?? "unmarked";
        var target = Path.Combine(Path.GetDirectoryName(full)!, $"orphaned-{Path.GetFileName(full)}-{owner}");
        var candidate = target;
        for (var n = 2; Directory.Exists(candidate) || File.Exists(candidate); n++)
        {
            candidate = $"{target}-{n}";
        }
        Directory.Move(full, candidate);
        return candidate;
    }

    /// <summary>
    /// Whether the checkpoint at <paramref name="path"/> is provably run <paramref name="uid"/>'s: its header carries that
    /// identity; or it carries none (written before identities existed) and its folder was adopted from then, at the
    /// first start that knew identities. False when the file is missing or unreadable.
    /// </summary>
    public static bool IsOwnCheckpoint(string path, Guid uid)
    {
        try
        {
            return IsOwnCheckpoint(Checkpoint.ReadHeader(path), path, uid);
        }
        catch (PalmLabException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether the checkpoint at <paramref name="path"/> reads as a checkpoint that is not run <paramref name="uid"/>'s. A
    /// damaged file is not foreign: it stays on offer, and using it answers that it is damaged instead of "no checkpoint".
    /// </summary>
    public static bool IsForeignCheckpoint(string path, Guid uid)
    {
        try
        {
            return !IsOwnCheckpoint(Checkpoint.ReadHeader(path), path, uid);
        }
        catch (PalmLabException)
        {
            return false;
        }
    }

    /// <summary>As <see cref="IsOwnCheckpoint(string, Guid)"/>, with the header already read.</summary>
    public static bool IsOwnCheckpoint(CheckpointHeader header, string path, Guid uid) =>
        header.RunUid is { } written
            ? written == uid
            : LegacyFolderOf(path) is { } folder && ReadMarker(folder) is { Legacy: true } marker && marker.Uid == uid;

    // A run's folder, for a checkpoint in it or in one of its fold-K folders.
    private static string? LegacyFolderOf(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is null)
        {
            return null;
        }
        return File.Exists(Path.Combine(folder, MarkerName)) ? folder : Path.GetDirectoryName(folder);
    }
}
