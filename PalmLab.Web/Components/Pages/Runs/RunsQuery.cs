using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Web.Components.Pages.Runs;

/// <summary>
/// The runs list's view in the URL (<c>?status=Running&amp;depth=50&amp;tag=x&amp;q=text&amp;sort=auc&amp;desc=true&amp;page=2</c>),
/// both ways. Defaults are left out, so the plain list is plain <c>/</c>; pages count from 1 there.
/// </summary>
public static class RunsQuery
{
    public static RunListFilter Parse(string? status, int? depth, string? dataSet, string? tag, string? q, string? sort, bool? desc, int? page)
    {
        var sorted = Enum.TryParse<RunSortKey>(sort, ignoreCase: true, out var key) && Enum.IsDefined(key);
        return new RunListFilter
        {
            Status = Enum.TryParse<RunStatus>(status, ignoreCase: true, out var s) ? s : null,
            Depth = depth,
            DataSet = Blank(dataSet),
            Tag = Blank(tag),
            Search = Blank(q),
            Sort = sorted ? key : RunSortKey.Created,
            // Without a sort the list is newest first; a chosen column starts ascending, as a header click does.
            Descending = desc ?? !sorted,
            Page = Math.Max(0, (page ?? 1) - 1),
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
