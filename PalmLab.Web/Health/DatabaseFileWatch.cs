using PalmLab.Web.Data;

namespace PalmLab.Web.Health;

/// <summary>
/// Remembers which SQLite file PalmLab opened at start-up, so that health can tell when it was deleted or replaced
/// underneath: SQLite goes on answering from the open, deleted file, and every later write is lost at the next start.
/// </summary>
public sealed class DatabaseFileWatch(DatabaseProvider provider)
{
    private FileIdentity? _atStart;

    /// <summary>Called once the database is migrated, so the file exists.</summary>
    public void Remember()
    {
        if (provider.Kind == DatabaseKind.Sqlite)
        {
            _atStart = FileIdentity.Of(Path.GetFullPath(provider.Location));
        }
    }

    /// <summary>Null while the file is the one opened at start-up (or nothing is watched); otherwise what went wrong, naming no path.</summary>
    public string? Problem()
    {
        if (_atStart is not { } atStart)
        {
            return null;
        }
        return FileIdentity.Of(Path.GetFullPath(provider.Location)) == atStart
            ? null
            : "The database file was deleted or replaced while PalmLab runs; what it records now is lost at the next start. Restore the file (or check PalmLab:DatabasePath) and restart PalmLab.";
    }
}
