using PalmLab.Engine.Training;

namespace PalmLab.Web.Runs;

/// <summary>The epochs of one fold (1..K) of a cross-validated run, in order.</summary>
public sealed record RunFoldEpochs(int Fold, IReadOnlyList<EpochResult> Epochs)
{
    /// <summary>Every fold that has epochs, in fold order.</summary>
    public static IReadOnlyList<RunFoldEpochs> Group(IEnumerable<FoldEpoch> rows) =>
        rows.Where(r => r.Fold is not null).GroupBy(r => r.Fold!.Value).OrderBy(g => g.Key)
            .Select(g => new RunFoldEpochs(g.Key, g.Select(r => r.Epoch).OrderBy(e => e.Epoch).ToList())).ToList();
}
