using System.Globalization;

namespace PalmLab.Web.Components.Pages.Compare;

/// <summary>The runs a comparison shows, read from <c>?runs=1,2,3</c> in the order given, or why they cannot be compared.</summary>
public sealed record CompareSelection(IReadOnlyList<int> Ids, CompareProblem? Problem)
{
    public const int MinRuns = 2;
    public const int MaxRuns = 10;

    private const string PickThem = "Pick 2 to 10 runs on the Runs page, then press Compare.";

    public static bool Fits(int count) => count is >= MinRuns and <= MaxRuns;

    public static string Href(IEnumerable<int> ids) => "/compare?runs=" + string.Join(",", ids);

    public static CompareSelection Parse(string? runs)
    {
        var parts = (runs ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var ids = new List<int>();
        var wrong = new List<string>();
        foreach (var part in parts)
        {
            if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0) ids.Add(id);
            else wrong.Add(part);
        }
        if (wrong.Count > 0)
        {
            var named = string.Join(", ", wrong.Take(3).Select(Quote)) + (wrong.Count > 3 ? $" and {wrong.Count - 3} more" : "");
            return Fail($"{named} {(wrong.Count == 1 ? "is not a run id" : "are not run ids")}",
                "Run ids are whole numbers, as in /compare?runs=1,2,3. " + PickThem);
        }
        ids = ids.Distinct().ToList();
        return ids.Count switch
        {
            0 => Fail("Pick 2 to 10 runs to compare", "Select them on the Runs page, then press Compare."),
            1 => Fail("One run is not a comparison", $"Run {ids[0]} needs at least one more to compare it with. {PickThem}"),
            > MaxRuns => Fail($"{ids.Count} runs are too many to compare", $"A comparison shows at most {MaxRuns} runs. {PickThem}"),
            _ => new CompareSelection(ids, null),
        };
    }

    /// <summary>The ids that were not found, named; the runs that were, compared if there are still enough of them.</summary>
    public static CompareProblem? Missing(IReadOnlyList<int> unknown, int found)
    {
        if (unknown.Count == 0 || found >= MinRuns)
        {
            return null;
        }
        var detail = found == 1 ? $"That leaves one run, which is not a comparison. {PickThem}" : $"They may have been deleted. {PickThem}";
        return new CompareProblem(UnknownText(unknown), detail);
    }

    /// <summary>"Run 7 does not exist", "Runs 7 and 9 do not exist".</summary>
    public static string UnknownText(IReadOnlyList<int> unknown) => unknown.Count == 1
        ? $"Run {unknown[0]} does not exist"
        : $"Runs {string.Join(", ", unknown.SkipLast(1))} and {unknown[^1]} do not exist";

    // A typed address can hold anything: show enough of it to recognise, never a wall of text.
    private static string Quote(string text) => "\u201c" + (text.Length > 20 ? text[..20] + "…" : text) + "\u201d";

    private static CompareSelection Fail(string title, string detail) => new([], new CompareProblem(title, detail));
}
