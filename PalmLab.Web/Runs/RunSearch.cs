using PalmLab.Web.Data;

namespace PalmLab.Web.Runs;

/// <summary>
/// The one search of runs, for the runs page and <c>GET /api/runs</c> alike. Both ignore case (Unicode letters too, on
/// SQLite as on PostgreSQL: see <see cref="SqliteUnicodeLower"/>), both trim the user's text, and both match it
/// literally: it is a parameter compared with <c>instr</c>/<c>strpos</c>, never a LIKE pattern, so <c>%</c>, <c>_</c>
/// and <c>\</c> are plain characters.
/// </summary>
public static class RunSearch
{
    /// <summary>Runs with the whole tag <paramref name="tag"/>: "alpha" finds "Alpha" but not "alphabet".</summary>
    public static IQueryable<Run> WithTag(this IQueryable<Run> runs, string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag))
        {
            return runs;
        }
        // Tags are stored trimmed and comma-separated: a whole tag sits between two commas once both ends get one.
        var wanted = "," + tag.Trim().ToLowerInvariant() + ",";
        return runs.Where(r => r.Tags != null && ("," + r.Tags.ToLower() + ",").Contains(wanted));
    }

    /// <summary>Runs whose name or notes hold <paramref name="text"/>.</summary>
    public static IQueryable<Run> Matching(this IQueryable<Run> runs, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return runs;
        }
        var wanted = text.Trim().ToLowerInvariant();
        return runs.Where(r => r.Name.ToLower().Contains(wanted) || (r.Notes != null && r.Notes.ToLower().Contains(wanted)));
    }
}
