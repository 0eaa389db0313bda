using PalmLab.Web.Data;

namespace PalmLab.Web.Runs;

/// <summary>What the runs list shows: its filters, its sort and its page (0-based).</summary>
public sealed record RunListFilter
{
    public const int DefaultPageSize = 25;

    public RunStatus? Status { get; init; }

    public int? Depth { get; init; }

    /// <summary>The data set's name.</summary>
    public string? DataSet { get; init; }

    /// <summary>The data set's id (the API filters by id, the page by name).</summary>
    public int? DataSetId { get; init; }

    /// <summary>One whole tag, in any case.</summary>
    public string? Tag { get; init; }

    /// <summary>Text in the name or the notes, in any case.</summary>
    public string? Search { get; init; }

    public RunSortKey Sort { get; init; } = RunSortKey.Created;

    public bool Descending { get; init; } = true;

    public int Page { get; init; }

    public int PageSize { get; init; } = DefaultPageSize;

    public bool HasFilters =>
        Status is not null || Depth is not null || DataSetId is not null || !string.IsNullOrWhiteSpace(DataSet) || !string.IsNullOrWhiteSpace(Tag) || !string.IsNullOrWhiteSpace(Search);

    /// <summary>The same view without its filters, back on the first page.</summary>
    public RunListFilter Cleared() => new() { Sort = Sort, Descending = Descending, PageSize = PageSize };
}
