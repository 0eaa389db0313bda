namespace PalmLab.Web.Components.Pages.Compare;

/// <summary>One metric across the compared runs (one cell per run, in their order), with its best cells known.</summary>
public sealed record MetricRow(string Key, string Label, string? Kind, Better Better, IReadOnlyList<MetricValue> Cells)
{
    /// <summary>
    /// The best value of the row, or null when there is nothing to beat: a row that does not rank, fewer than two
    /// known values, or all of them equal.
    /// </summary>
    public double? Best { get; } = BestOf(Cells.Select(c => c.Rank).OfType<double>().ToList(), Better);

    /// <summary>Whether run <paramref name="index"/>'s cell is the best of the row (ties all are).</summary>
    public bool IsBest(int index) => Best is { } best && Cells[index].Rank == best;

    private static double? BestOf(List<double> known, Better better) =>
        better == Better.Neither || known.Distinct().Count() < 2 ? null
        : better == Better.Higher ? known.Max()
        : known.Min();
}
