using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using PalmLab.Engine;
using PalmLab.Web.Options;

namespace PalmLab.Web.Runs;

/// <summary>
/// Who this dashboard is to the runs it claims (<see cref="Data.Run.Owner"/>): PalmLab:InstanceId when set, otherwise an id
/// made once and kept in CheckpointsDir/.palmlab-instance, so a dashboard restarted on the same folders is the same owner
/// and takes its runs back, while another dashboard on the same database (with folders of its own) never does.
/// </summary>
public sealed partial class ExecutorInstance
{
    /// <summary>The most characters an id has (the Owner column's length).</summary>
    public const int MaxIdLength = 100;

    /// <summary>The file in CheckpointsDir that keeps the id.</summary>
    public const string FileName = ".palmlab-instance";

    public ExecutorInstance(IOptions<PalmLabOptions> options)
        : this(options.Value.InstanceId is { Length: > 0 } id ? id : ReadOrCreate(options.Value.CheckpointsDir))
    {
    }

    public ExecutorInstance(string id)
    {
        if (!IsValid(id))
        {
            throw new InvalidOperationException(
                $"The executor instance id must be 1 to {MaxIdLength} letters, digits, '.', '_', ':' or '-'; check PalmLab:InstanceId or {FileName} in the checkpoints folder.");
        }
        Id = id;
    }

    public string Id { get; }

    public static bool IsValid(string? id) => id is { Length: > 0 and <= MaxIdLength } && IdPattern().IsMatch(id);

    /// <summary>The id kept in <paramref name="checkpointsDir"/>, made and written there first when there is none.</summary>
    public static string ReadOrCreate(string checkpointsDir)
    {
        var path = Path.Combine(checkpointsDir, FileName);
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }
        // Written aside and moved in only where no file is: of two processes starting on one folder, both keep the first id.
        var made = $"{MachineName()}-{Guid.NewGuid():N}";
        try
        {
            AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(made + "\n")), overwrite: false);
            return made;
        }
        catch (IOException) when (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }
    }

    public override string ToString() => Id;

    // The host's name says at a glance which dashboard owns a run; only the characters an id allows, at most 60.
    private static string MachineName()
    {
        var name = new string([.. Environment.MachineName.Select(c => IdPattern().IsMatch(c.ToString()) ? c : '-')]);
        return name.Length == 0 ? "palmlab" : name[..Math.Min(60, name.Length)];
    }

    [GeneratedRegex("^[A-Za-z0-9._:-]+$")]
    private static partial Regex IdPattern();
}
