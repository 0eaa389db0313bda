namespace PalmLab.Web.Data;

/// <summary>The databases the run store runs on.</summary>
public enum DatabaseKind
{
    Sqlite,
    Postgres,
}
