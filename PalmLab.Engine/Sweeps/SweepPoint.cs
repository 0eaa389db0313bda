namespace PalmLab.Engine.Sweeps;

/// <summary>
/// How far a trial has got: the epoch, and for a cross-validated trial the fold (1-based) it is in; 0 for a trial
/// without folds. Median stopping compares trials at equal points.
/// </summary>
public readonly record struct SweepPoint(int Fold, int Epoch)
{
    public override string ToString() => Fold == 0 ? $"epoch {Epoch}" : $"fold {Fold} epoch {Epoch}";
}
