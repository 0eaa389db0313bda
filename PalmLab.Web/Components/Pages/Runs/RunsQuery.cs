using PalmLab.Web.Components.Shared;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Web.Components.Pages.Runs;

/// <summary>
/// The runs list's view in the URL (<c>?status=Running&amp;depth=50&amp;tag=x&amp;q=text&amp;sort=auc&amp;desc=true&amp;page=2</c>),
/// both ways. Defaults are left out, so the plain list is plain <c>/</c>; pages count from 1 there. The values come as
/// the address has them: one that does not read (<c>?page=abc</c>, <c>?desc=maybe</c>) is ignored.
/// </summary>
public static class RunsQuery
{
    /// <summary>The last page an address may ask for: far more than any list has, and small enough to count rows with.</summary>
    public const int MaxPage = 1_000_000;

    public static RunListFilter Parse(string? status, string? depth, string? dataSet, string? tag, string? q, string? sort, string? desc, string? page)
    {
        var sorted = Enum.TryParse<RunSortKey>(sort, ignoreCase: true, out var key) && Enum.IsDefined(key) && !sort!.Any(char.IsDigit);
        return new RunListFilter
        {
            // By name only: Enum.TryParse would also take "7", a status that does not exist.
            Status = Enum.TryParse<RunStatus>(status, ignoreCase: true, out var s) && Enum.IsDefined(s) && !status!.Any(char.IsDigit) ? s : null,
            Depth = QueryValue.Int(depth),
            DataSet = Blank(dataSet),
            Tag = Blank(tag),
            Search = Blank(q),
            Sort = sorted ? key : RunSortKey.Created,
            // Without a sort the list is newest first; a chosen column starts ascending, as a header click does.
            Descending = QueryValue.Bool(desc) ?? !sorted,
            Page = (QueryValue.Int(page, 1, MaxPage) ?? 1) - 1,
        };
    }

    public static IReadOnlyDictionary<string, object?> ToQuery(RunListFilter filter)
    {
        var defaultSort = filter.Sort == RunSortKey.Created && filter.Descending;
        return new Dictionary<string, object?>
        {
            ["status"] = filter.Status?.ToString(),
            ["depth"] = filter.Depth,
            ["dataset"] = filter.DataSet,
            ["tag"] = filter.Tag,
            ["q"] = filter.Search,
            ["sort"] = defaultSort ? null : SortName(filter.Sort),
            ["desc"] = defaultSort || !filter.Descending ? null : true,
            ["page"] = filter.Page > 0 ? filter.Page + 1 : null,
        };
    }

    public static string SortName(RunSortKey key) => key.ToString().ToLowerInvariant();

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
