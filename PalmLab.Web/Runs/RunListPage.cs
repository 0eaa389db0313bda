namespace PalmLab.Web.Runs;

/// <summary>One page of the runs list and how many runs match in all.</summary>
public sealed record RunListPage(IReadOnlyList<RunListRow> Items, int TotalCount);
